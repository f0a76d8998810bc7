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
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.google.common.collect.ImmutableMap;

/**
 * Sessions already open when their user becomes hosted elsewhere end within 10 s: IMAP with a BYE (also in
 * the middle of IDLE), POP3 with an -ERR, then the connection is closed; other users' sessions go on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenSessionGuardTest {
    private static final int DEADLINE_MILLIS = 10_000;

    private JamesNode james;

    @BeforeAll
    void start() throws Exception {
        james = JamesNode.start("open-sessions", ImmutableMap.of("pop3server.xml",
            conf -> JamesNode.edit(conf, "<pop3server enabled=\"false\">", "<pop3server enabled=\"true\">")));
        james.data().addDomain("example.com");
        for (String user : new String[] {"moving-imap", "moving-idle", "moving-pop3", "staying", "partly"}) {
            james.data().addUser(user + "@example.com", PASSWORD);
        }
        james.data().addUserAliasMapping("partly.partner", "example.com", "partly@example.com");
        james.putDomainRouting("example.com", "{\"relays\":[\"127.0.0.1:2\"]}");
    }

    @AfterAll
    void stop() {
        if (james != null) {
            james.close();
        }
    }

    @Test
    void anImapSessionShouldEndWithByeWhenItsUserIsFlagged() throws Exception {
        try (Line imap = Line.openImap(james.imapPort())) {
            assertThat(imap.command("A1 LOGIN moving-imap@example.com " + PASSWORD)).startsWith("A1 OK");
            assertThat(imap.command("A2 SELECT INBOX")).startsWith("A2 OK");

            james.putUserRouting("moving-imap@example.com", "{\"thirdParty\":true}");

            assertThat(imap.untilClosed()).containsExactly("* BYE This account is not served by this server any more");
        }
    }

    @Test
    void anIdlingImapSessionShouldEndWithByeToo() throws Exception {
        try (Line imap = Line.openImap(james.imapPort())) {
            assertThat(imap.command("A1 LOGIN moving-idle@example.com " + PASSWORD)).startsWith("A1 OK");
            assertThat(imap.command("A2 SELECT INBOX")).startsWith("A2 OK");
            imap.send("A3 IDLE");
            assertThat(imap.read()).startsWith("+");

            james.putUserRouting("moving-idle@example.com", "{\"thirdParty\":true}");

            assertThat(imap.untilClosed()).contains("* BYE This account is not served by this server any more");
        }
    }

    @Test
    void aPop3SessionShouldEndWithAnErrorWhenItsUserIsFlagged() throws Exception {
        try (Line pop3 = Line.open(james.pop3Port())) {
            pop3.read();
            assertThat(pop3.command("USER moving-pop3@example.com")).startsWith("+OK");
            assertThat(pop3.command("PASS " + PASSWORD)).startsWith("+OK");

            james.putUserRouting("moving-pop3@example.com", "{\"thirdParty\":true}");

            assertThat(pop3.untilClosed()).containsExactly("-ERR This account is not served by this server any more");
        }
    }

    @Test
    void sessionsOfUsersStillHostedHereShouldGoOn() throws Exception {
        try (Line staying = Line.openImap(james.imapPort()); Line partly = Line.openImap(james.imapPort()); Line moving = Line.openImap(james.imapPort())) {
            assertThat(staying.command("A1 LOGIN staying@example.com " + PASSWORD)).startsWith("A1 OK");
            assertThat(partly.command("A1 LOGIN partly@example.com " + PASSWORD)).startsWith("A1 OK");
            james.data().addUser("moving-too@example.com", PASSWORD);
            assertThat(moving.command("A1 LOGIN moving-too@example.com " + PASSWORD)).startsWith("A1 OK");

            // Only one address of partly goes to the other system: partly keeps its mailbox here.
            james.putUserRouting("partly@example.com", "{\"thirdParty\":true,\"forwardedAddresses\":[\"partly.partner@example.com\"]}");
            james.putUserRouting("moving-too@example.com", "{\"thirdParty\":true}");
            // Once the session of the user that moved is closed, a sweep has passed over the others.
            assertThat(moving.untilClosed()).contains("* BYE This account is not served by this server any more");

            assertThat(staying.command("A2 NOOP")).startsWith("A2 OK");
            assertThat(partly.command("A2 NOOP")).startsWith("A2 OK");
        }
    }

    /** A line-oriented client on a raw socket: what the server writes, byte for byte. */
    private static final class Line implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final Writer out;

        private Line(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            this.out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.US_ASCII);
            socket.setSoTimeout(DEADLINE_MILLIS);
        }

        static Line open(int port) throws IOException {
            return new Line(new Socket("127.0.0.1", port));
        }

        /** An IMAP connection past its greeting and over STARTTLS (james-conf takes no login in clear). */
        static Line openImap(int port) throws IOException {
            return new Line(TestTls.imapOverStartTls(port));
        }

        void send(String command) throws IOException {
            out.write(command + "\r\n");
            out.flush();
        }

        String read() throws IOException {
            return in.readLine();
        }

        /** Sends a command and returns its final answer: the tagged line for IMAP, the first line for POP3. */
        String command(String command) throws IOException {
            send(command);
            String line = read();
            while (line != null && line.startsWith("* ")) {
                line = read();
            }
            assertThat(line).as("answer to %s", command).isNotNull();
            return line;
        }

        /** Every line until the server closes the connection, which must happen within the deadline. */
        List<String> untilClosed() throws IOException {
            List<String> lines = new ArrayList<>();
            try {
                for (String line = read(); line != null; line = read()) {
                    lines.add(line);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server did not close the connection within " + DEADLINE_MILLIS + " ms; it wrote " + lines, e);
            }
            return lines;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
