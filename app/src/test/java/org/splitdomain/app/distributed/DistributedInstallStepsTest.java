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
package org.splitdomain.app.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.splitdomain.app.ConfigurationDirectory;
import org.splitdomain.app.InstalledJames;
import org.splitdomain.app.JamesNode;
import org.splitdomain.app.Mailboxes;
import org.splitdomain.app.ServerPorts;
import org.splitdomain.app.SmtpSession;
import org.splitdomain.settings.cassandra.CassandraExtension;
import org.splitdomain.testing.SmtpSink;

import com.google.inject.Module;

/**
 * The README's install steps on the distributed image's configuration (app/src/test/resources/official-images/distributed),
 * with the snippets read from the README, on the distributed flavour the tests compose: users, domains, mappings, mail
 * repositories and our settings in Cassandra, the mail queues on RabbitMQ. Mail routes as on the other images; after a
 * restart, users, aliases, settings and the mail waiting for a partner that is down are still there (mailboxes are in
 * memory in this composition: James's Cassandra mailbox is not composed).
 */
class DistributedInstallStepsTest {
    private static final String IMAGE = "distributed";

    @RegisterExtension
    CassandraExtension cassandra = new CassandraExtension();
    @TempDir
    Path configuration;
    @TempDir
    Path work;

    private JamesNode james;
    private SmtpSink partner;

    @BeforeEach
    void rabbitMQ() {
        Assumptions.assumeTrue(RabbitMQServer.isInstalled(), "Debian's rabbitmq-server is installed by .ci/run");
    }

    @AfterEach
    void tearDown() {
        if (james != null) {
            james.close();
        }
        if (partner != null) {
            partner.close();
        }
    }

    @Test
    void theDistributedImageShouldRouteMailOnceTheStepsAreFollowedAndKeepItsDataAndQueueAcrossARestart() throws Exception {
        ConfigurationDirectory.prepareOnLoopback(InstalledJames.imageConfiguration(configuration, IMAGE), work, ServerPorts.allEphemeral());
        // What the image's own rabbitmq.properties and cassandra.properties say, for the broker and Cassandra of this test;
        // and the image turns JMAP on, on port 80: a free port here, as for every other server.
        Path conf = work.resolve("conf");
        Files.writeString(conf.resolve("rabbitmq.properties"), RabbitMQServer.shared().jamesProperties(RabbitMQServer.shared().newVirtualHost()));
        Files.writeString(conf.resolve("cassandra.properties"), "cassandra.nodes=127.0.0.1:" + cassandra.server().nativePort()
            + "\ncassandra.keyspace=" + cassandra.keyspace() + "\n");
        Files.writeString(conf.resolve("jmap.properties"), Files.readString(conf.resolve("jmap.properties")) + "jmap.port=" + SmtpSink.freePort() + "\n");
        InstalledJames.applySteps(work, IMAGE);

        james = boot();
        partner = InstalledJames.provisionAndRoute(InstalledJames.of(james));
        String settings = InstalledJames.export(InstalledJames.of(james));

        // A mail for bob waits for the partner, down, across the restart.
        int partnerPort = partner.port();
        partner.close();
        james.webAdmin().body("{\"relays\":[\"" + partner.relay() + "\"],\"forwardUnknown\":false,\"verifyRecipients\":false}")
            .put("/domains/example.com/split-routing").then().statusCode(204);
        SmtpSession.send(james.smtpPort(), "someone@external.org", "Subject: across the restart\r\n\r\nhi bob\r\n", "bob@example.com");
        JamesNode beforeRestart = james;
        Mailboxes.AWAIT.untilAsserted(() -> assertThat(beforeRestart.waitingMails().getList("findAll { it.lastError != null }"))
            .hasSize(1));
        settings = InstalledJames.export(InstalledJames.of(james));
        james.close();

        james = boot();

        assertThat(InstalledJames.export(InstalledJames.of(james))).isEqualTo(settings);
        james.webAdmin().head("/users/alice@example.com").then().statusCode(200);
        assertThat(james.webAdmin().get("/address/aliases/alice@example.com").then().statusCode(200).extract().jsonPath()
            .getList("source", String.class)).containsExactly("alice.smith@example.com");
        partner = SmtpSink.builder().bindAddress(InstalledJames.PARTNER_ADDRESS).port(partnerPort).start();
        james.webAdmin().post("/split-routing/queue/retry").then().statusCode(200);
        Mailboxes.AWAIT.untilAsserted(() -> assertThat(partner.received())
            .singleElement().satisfies(mail -> assertThat(mail.content).contains("Subject: across the restart")));
    }

    private JamesNode boot() throws Exception {
        Module[] modules = DistributedFlavour.modulesWithJamesDataOnCassandra();
        return JamesNode.restart("install-distributed", work, modules);
    }
}
