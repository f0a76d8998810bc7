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

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.splitdomain.testing.SmtpSink;

import com.google.common.collect.ImmutableMap;

import io.restassured.specification.RequestSpecification;

/**
 * A James installed as the README's install steps say, on the configuration of an official image
 * (app/src/test/resources/official-images/), whatever runs it (a JVM of its own, or this one): what the checks of
 * {@link #provisionAndRoute} need of it.
 */
public interface InstalledJames {
    Path IMAGES = Paths.get(System.getProperty("official-images"));
    String PARTNER_ADDRESS = "127.0.0.2";

    RequestSpecification webAdmin();

    String webAdminUrl();

    Path workingDirectory();

    String address();

    int smtpPort();

    int imapPort();

    static InstalledJames of(JamesNode node) {
        return new InstalledJames() {
            @Override
            public RequestSpecification webAdmin() {
                return node.webAdmin();
            }

            @Override
            public String webAdminUrl() {
                return "http://127.0.0.1:" + node.webAdminPort();
            }

            @Override
            public Path workingDirectory() {
                return node.workingDirectory();
            }

            @Override
            public String address() {
                return node.address();
            }

            @Override
            public int smtpPort() {
                return node.smtpPort();
            }

            @Override
            public int imapPort() {
                return node.imapPort();
            }
        };
    }

    static InstalledJames of(JamesProcess process) {
        return new InstalledJames() {
            @Override
            public RequestSpecification webAdmin() {
                return process.webAdmin();
            }

            @Override
            public String webAdminUrl() {
                return process.webAdminUrl();
            }

            @Override
            public Path workingDirectory() {
                return process.workingDirectory();
            }

            @Override
            public String address() {
                return process.address();
            }

            @Override
            public int smtpPort() {
                return process.smtpPort();
            }

            @Override
            public int imapPort() {
                return process.imapPort();
            }
        };
    }

    /** The image's files over james-conf's others (the ones the steps do not touch), in {@code configuration}. */
    static Path imageConfiguration(Path configuration, String image) throws Exception {
        copyFiles(JamesNode.JAMES_CONF, configuration);
        copyFiles(IMAGES.resolve(image), configuration);
        return configuration;
    }

    /** Steps 2 to 6 on a prepared working directory, and the loop secret made by the README's command, run as written. */
    static void applySteps(Path workingDirectory, String image) throws Exception {
        Path conf = workingDirectory.resolve("conf");
        ReadmeInstallSteps steps = new ReadmeInstallSteps();
        steps.applyTo(conf, image);
        run(workingDirectory, steps.snippet("loop secret"), ImmutableMap.of());
        assertThat(Files.readString(conf.resolve("split-domain-loop.secret")).trim()).hasSizeGreaterThanOrEqualTo(16);
    }

    /**
     * Steps 7 and 8 as written (the README's provisioning, then its checks), the settings of a master whose partner is a
     * relay on 127.0.0.2, and mail over SMTP: local through an alias read over IMAP, third-party directly and through a
     * group, an unknown address refused at RCPT, no AUTH in clear on the MX. Returns the partner, for the caller to close.
     */
    static SmtpSink provisionAndRoute(InstalledJames james) throws Exception {
        ReadmeInstallSteps steps = new ReadmeInstallSteps();
        run(james.workingDirectory(), steps.snippet("provision"), environment(james));
        james.webAdmin().head("/users/alice@example.com").then().statusCode(200);

        SmtpSink partner = SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(SmtpSink.freePort(PARTNER_ADDRESS)).start();
        james.webAdmin().body("{\"relays\":[\"" + partner.relay() + "\"],\"forwardUnknown\":false,\"verifyRecipients\":true}")
            .put("/domains/example.com/split-routing").then().statusCode(204);
        james.webAdmin().body("{\"thirdParty\":true}").put("/users/bob@example.com/split-routing").then().statusCode(204);

        // local mail, through an alias, read over IMAP
        SmtpSession.send(james.address(), james.smtpPort(), "someone@external.org", "Subject: for alice\r\n\r\nhi alice\r\n", "alice.smith@example.com");
        assertThat(Mailboxes.awaitMessages(james.address(), james.imapPort(), "alice@example.com", 1)).contains("Subject: for alice");
        // a third-party user, directly and through a group
        SmtpSession.send(james.address(), james.smtpPort(), "someone@external.org", "Subject: for bob\r\n\r\nhi bob\r\n", "bob@example.com");
        SmtpSession.send(james.address(), james.smtpPort(), "someone@external.org", "Subject: for the team\r\n\r\nhi team\r\n", "team@example.com");
        Mailboxes.AWAIT.untilAsserted(() -> assertThat(partner.received()).hasSize(2).allSatisfy(mail ->
            assertThat(mail.recipients).containsExactly("bob@example.com")));
        // an address nobody has
        try (SmtpSession session = SmtpSession.connect(james.address(), james.smtpPort())) {
            assertThat(session.mailFrom("someone@external.org")).startsWith("250");
            assertThat(session.rcptTo("nobody@example.com")).startsWith("550 5.1.1");
        }
        // no password taken in clear on the MX, even a right one
        try (SmtpSession session = SmtpSession.connect(james.address(), james.smtpPort())) {
            assertThat(session.tryAuthenticateInClear("alice@example.com", "secret")).isEqualTo("504 Unrecognized Authentication Type");
        }

        String checks = run(james.workingDirectory(), steps.snippet("check"), environment(james));
        assertThat(checks).contains("\"status\":\"healthy\"").doesNotContain("\"degraded\"").doesNotContain("\"unhealthy\"")
            .contains("\"rule\":\"third-party\"");
        Mailboxes.AWAIT.untilAsserted(() -> assertThat(partner.received()).anySatisfy(mail ->
            assertThat(mail.content).contains("split-domain install check")));
        return partner;
    }

    static String export(InstalledJames james) {
        return james.webAdmin().get("/split-routing/export").then().statusCode(200).extract().asString();
    }

    private static Map<String, String> environment(InstalledJames james) {
        return ImmutableMap.of(
            "WEBADMIN", james.webAdminUrl(),
            "TOKEN", WebAdminAccess.token(james.workingDirectory()).orElse("none"),
            "MX", james.address() + ":" + james.smtpPort());
    }

    /** Runs a README block with bash in {@code directory}, as written, with the variables the README says to set. */
    private static String run(Path directory, String block, Map<String, String> variables) throws Exception {
        ProcessBuilder bash = new ProcessBuilder("bash", "-c", "set -e\n" + block).directory(directory.toFile()).redirectErrorStream(true);
        bash.environment().putAll(variables);
        Process process = bash.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", block).isTrue();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.exitValue()).as("exit code of\n%s\noutput:\n%s", block, output).isZero();
        return output;
    }

    private static void copyFiles(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
