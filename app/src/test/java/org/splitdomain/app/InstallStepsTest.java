/*
 * Copyright 2026 the james-split-domain authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package org.splitdomain.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitdomain.testing.SmtpSink;

import com.google.common.collect.ImmutableMap;

/**
 * The README's install steps on the configuration of the memory and JPA official images, with the snippets read from
 * the README: James of that flavour, stock, in a JVM of its own with our jar in extensions-jars/, delivers local mail
 * read over IMAP, relays a third-party user's mail to the partner, refuses an unknown address at RCPT, and passes the
 * README's checks run as written; the JPA server keeps all of it across a restart. The distributed image's:
 * {@code distributed.DistributedInstallStepsTest}.
 */
class InstallStepsTest {
    @TempDir
    Path configuration;
    private JamesProcess james;
    private SmtpSink partner;

    @AfterEach
    void tearDown() throws Exception {
        if (james != null) {
            james.close();
        }
        if (partner != null) {
            partner.close();
        }
    }

    @Test
    void theMemoryImageShouldRouteMailOnceTheStepsAreFollowed() throws Exception {
        james = install("memory", Flavour.MEMORY).startStock();

        partner = InstalledJames.provisionAndRoute(InstalledJames.of(james));
    }

    @Test
    void theJpaImageShouldRouteMailOnceTheStepsAreFollowedAndKeepEverythingAcrossARestart() throws Exception {
        james = install("jpa", Flavour.JPA).startStockJpa();
        partner = InstalledJames.provisionAndRoute(InstalledJames.of(james));
        String settings = InstalledJames.export(InstalledJames.of(james));

        james.close();
        james.startStockJpa();

        assertThat(InstalledJames.export(InstalledJames.of(james))).isEqualTo(settings);
        assertThat(Mailboxes.awaitMessages(james.address(), james.imapPort(), "alice@example.com", 1)).contains("Subject: for alice");
        SmtpSession.send(james.smtpPort(), "someone@external.org", "Subject: after the restart\r\n\r\nhi bob\r\n", "bob@example.com");
        Mailboxes.AWAIT.untilAsserted(() -> assertThat(partner.received()).anySatisfy(mail ->
            assertThat(mail.content).contains("Subject: after the restart")));
    }

    private JamesProcess install(String image, Flavour flavour) throws Exception {
        Map<String, UnaryOperator<String>> harness = flavour == Flavour.MEMORY
            // The image turns JMAP on, on port 80: a free port here, as for every other server.
            ? ImmutableMap.of("jmap.properties", conf -> conf + "jmap.port=" + freePort() + "\n")
            : ImmutableMap.of();
        JamesProcess process = JamesProcess.prepare("install-" + image, InstalledJames.imageConfiguration(configuration, image), flavour,
            "127.0.0.1", harness);
        InstalledJames.applySteps(process.workingDirectory(), image);
        return process;
    }

    static int freePort() {
        try {
            return SmtpSink.freePort();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
