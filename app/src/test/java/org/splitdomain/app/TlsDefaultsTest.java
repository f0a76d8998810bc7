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
import static org.splitdomain.app.Mailboxes.PASSWORD;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * james-conf's secure defaults: submission and IMAP offer STARTTLS with a keystore the launcher made, and take
 * no credentials in clear.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsDefaultsTest {
    private JamesNode james;

    @BeforeAll
    void start() throws Exception {
        james = JamesNode.start("tls-defaults");
        james.data().addDomain("example.com");
        james.data().addUser("user@example.com", PASSWORD);
    }

    @AfterAll
    void stop() {
        if (james != null) {
            james.close();
        }
    }

    @Test
    void submissionShouldRefuseCredentialsInClearAndTakeThemOverStartTls() throws Exception {
        try (SmtpSession session = SmtpSession.connect(james.submissionPort())) {
            assertThat(session.reply()).contains("STARTTLS").doesNotContain("AUTH");
            assertThat(session.tryAuthenticateInClear("user@example.com", PASSWORD))
                .isEqualTo("538 5.7.11 Encryption required for requested authentication mechanism");
        }
        try (SmtpSession session = SmtpSession.connect(james.submissionPort())) {
            assertThat(session.tryAuthenticate("user@example.com", PASSWORD)).startsWith("235");
        }
    }

    @Test
    void imapShouldRefuseLoginInClearAndTakeItOverStartTls() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", james.imapPort())) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.US_ASCII);
            in.readLine();
            out.write("A1 CAPABILITY\r\nA2 LOGIN user@example.com " + PASSWORD + "\r\n");
            out.flush();
            List<String> lines = new ArrayList<>();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
                if (line.startsWith("A2 ")) {
                    break;
                }
            }
            assertThat(lines.get(0)).contains("STARTTLS").contains("LOGINDISABLED");
            assertThat(lines.get(lines.size() - 1)).isEqualTo("A2 NO LOGIN failed. Plain login / authentication are disabled.");
        }
        assertThat(Mailboxes.messageCount(james, "user@example.com")).as("over STARTTLS").isZero();
    }

    @Test
    void theThrowawayKeystoreShouldServeACertificateForLocalhost() throws Exception {
        assertThat(james.workingDirectory().resolve("conf/keystore")).exists();
        try (SSLSocket tls = TestTls.imapOverStartTls(james.imapPort())) {
            X509Certificate certificate = (X509Certificate) tls.getSession().getPeerCertificates()[0];
            assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        }
    }

    @Test
    void aKeystoreThatIsThereShouldNeverBeReplaced() throws Exception {
        Path keystore = james.workingDirectory().resolve("conf/keystore");
        byte[] before = Files.readAllBytes(keystore);

        ConfigurationDirectory.prepareOnLoopback(JamesNode.JAMES_CONF, james.workingDirectory(), ServerPorts.allEphemeral());

        assertThat(Files.readAllBytes(keystore)).isEqualTo(before);
    }
}
