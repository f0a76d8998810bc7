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
import static org.splitdomain.app.Mailboxes.awaitMessages;
import static org.splitdomain.app.Mailboxes.messageCount;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.splitdomain.testing.SmtpSink;

/**
 * The misconfiguration operators really make: two servers that both forward the unknown addresses of
 * example.com to each other. alice and carol are hosted on "east" (127.0.0.1), dan and erin on "west",
 * which listens on 127.0.0.2 and connects to east from 127.0.0.2; nobody hosts nobody@. Clients connect
 * from 127.0.0.1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoopPreventionTest {
    private JamesNode east;
    private JamesNode west;

    @BeforeAll
    void startServers() throws Exception {
        east = JamesNode.start("east");
        west = JamesNode.startOn("west", "127.0.0.2", conf -> conf);
        east.data().addDomain("example.com");
        east.data().addUser("alice@example.com", PASSWORD);
        east.data().addUser("carol@example.com", PASSWORD);
        west.data().addDomain("example.com");
        west.data().addUser("dan@example.com", PASSWORD);
        west.data().addUser("erin@example.com", PASSWORD);
        east.putDomainRouting("example.com", "{\"relays\":[\"" + west.relayAddress() + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}");
        west.putDomainRouting("example.com", "{\"relays\":[\"" + east.relayAddress() + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}");
    }

    @AfterAll
    void stopServers() {
        if (west != null) {
            west.close();
        }
        if (east != null) {
            east.close();
        }
    }

    @Test
    void addressNobodyHostsShouldComeBackToTheSenderAsOneRoutingLoopDsnAfterTwoRelayHops() throws Exception {
        try (SmtpSession session = SmtpSession.connect(east.submissionPort())) {
            session.authenticate("alice@example.com", PASSWORD);
            session.mailFrom("alice@example.com");
            assertThat(session.rcptTo("nobody@example.com")).startsWith("250");
            assertThat(session.data("Subject: into the loop\r\n\r\nanyone?\r\n")).startsWith("250");
        }

        String dsn = awaitMessages(east, "alice@example.com", 1);
        assertThat(dsn)
            .contains("5.4.6 Routing loop detected")
            .contains("nobody@example.com")
            .contains("Subject: into the loop");
        // The original travels back inside the DSN: one mark from each server it crossed, neither naming the recipient.
        assertThat(occurrences(dsn, "X-Split-Domain-Relayed: v=2; t=")).isEqualTo(2);
        assertThat(dsn).doesNotContain("X-Split-Domain-Relayed: nobody@");
        JamesNode.awaitIdle(east, west);
        assertThat(messageCount(east, "alice@example.com")).isEqualTo(1);
    }

    @Test
    void loopMarkShouldSurviveAPartnerThatIsAnotherMta() throws Exception {
        east.data().addDomain("foreign.example");
        east.data().addUser("carol@foreign.example", PASSWORD);
        try (SmtpSink partner = SmtpSink.builder().bindAddress("127.0.0.2").port(0)
            .forwardingEachMailTo(received -> SmtpSession.send(east.smtpPort(), received.sender, received.content,
                received.recipients.toArray(String[]::new)))
            .start()) {
            east.putDomainRouting("foreign.example", "{\"relays\":[\"" + partner.relay() + "\"],\"forwardUnknown\":true}");

            try (SmtpSession session = SmtpSession.connect(east.submissionPort())) {
                session.authenticate("carol@foreign.example", PASSWORD);
                session.mailFrom("carol@foreign.example");
                assertThat(session.rcptTo("nobody@foreign.example")).startsWith("250");
                assertThat(session.data("Subject: via a foreign MTA\r\n\r\nanyone?\r\n")).startsWith("250");
            }

            assertThat(awaitMessages(east, "carol@foreign.example", 1))
                .contains("5.4.6 Routing loop detected")
                .contains("nobody@foreign.example");
            assertThat(partner.received()).hasSize(1);
        }
    }

    @Test
    void aForgedLoopMarkShouldNotStopMail() throws Exception {
        SmtpSession.send(east.smtpPort(), "someone@external.org",
            "X-Split-Domain-Relayed: v=2; t=" + java.time.Instant.now().getEpochSecond() + "; r=AAAAAAAAAAAAAAAAAAAAAA\r\n"
                + "X-Split-Domain-Relayed: erin@example.com; sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n"
                + "Subject: forged mark\r\n\r\nstill for erin\r\n", "erin@example.com");

        assertThat(awaitMessages(west, "erin@example.com", 1)).contains("Subject: forged mark");
    }

    @Test
    void aGroupMemberHostedAtThePartnerShouldGetTheGroupMailThatCameFromThePartner() throws Exception {
        // hilda (west) writes to the group team@, which only east knows: west relays it to east, from 127.0.0.2;
        // east expands it to greta (here) and gus (unknown here, so back to west). Gus's copy is no loop.
        east.data().addUser("greta@example.com", PASSWORD);
        west.data().addUser("gus@example.com", PASSWORD);
        west.data().addUser("hilda@example.com", PASSWORD);
        east.data().addGroupAliasMapping("team@example.com", "greta@example.com");
        east.data().addGroupAliasMapping("team@example.com", "gus@example.com");
        try (SmtpSession session = SmtpSession.connect(west.address(), west.submissionPort())) {
            session.authenticate("hilda@example.com", PASSWORD);
            session.mailFrom("hilda@example.com");
            assertThat(session.rcptTo("team@example.com")).startsWith("250");
            assertThat(session.data("Subject: to the team\r\n\r\nhello team\r\n")).startsWith("250");
        }

        assertThat(awaitMessages(east, "greta@example.com", 1)).contains("Subject: to the team");
        assertThat(awaitMessages(west, "gus@example.com", 1)).contains("Subject: to the team");
        // and no 5.4.6 DSN came back to her
        assertThat(messageCount(west, "hilda@example.com")).isZero();
    }

    @Test
    void aMarkCopiedIntoAMailFromAnotherSenderShouldNotMakeUsBounceToThatSender() throws Exception {
        east.data().addUser("victim@example.com", PASSWORD);
        west.data().addUser("frank@example.com", PASSWORD);
        SmtpSession.send(east.smtpPort(), "someone@external.org",
            "Message-ID: <copied-mark@external.org>\r\nSubject: the original\r\n\r\nfor frank\r\n", "frank@example.com");
        String delivered = awaitMessages(west, "frank@example.com", 1);
        Matcher mark = Pattern.compile("X-Split-Domain-Relayed: (v=2; t=[0-9]+; r=[A-Za-z0-9_-]+)").matcher(delivered);
        assertThat(mark.find()).as("east's mark in %s", delivered).isTrue();

        // Whoever got hold of the mark copies it, with the Message-ID, into a mail claiming to come from victim@.
        SmtpSession.send(east.smtpPort(), "victim@example.com",
            "Message-ID: <copied-mark@external.org>\r\nX-Split-Domain-Relayed: " + mark.group(1) + "\r\n"
                + "Subject: the copy\r\n\r\nfor frank again\r\n", "frank@example.com");

        assertThat(awaitMessages(west, "frank@example.com", 2)).contains("Subject: the copy");
        assertThat(messageCount(east, "victim@example.com")).isZero();
    }

    @Test
    void legitimateMailShouldStillFlowBothWays() throws Exception {
        SmtpSession.send(east.smtpPort(), "someone@external.org", "Subject: east to west\r\n\r\nhi dan\r\n", "dan@example.com");
        SmtpSession.send(west.address(), west.smtpPort(), "someone@external.org", "Subject: west to east\r\n\r\nhi carol\r\n", "carol@example.com");

        assertThat(awaitMessages(west, "dan@example.com", 1)).contains("Subject: east to west");
        assertThat(awaitMessages(east, "carol@example.com", 1)).contains("Subject: west to east");
    }

    @Test
    void explainShouldWarnWhenADomainRelaysToThisServerItself() {
        east.webAdmin().put("/domains/self.example").then().statusCode(204);
        east.putDomainRouting("self.example", "{\"relays\":[\"" + east.relayAddress() + "\"],\"forwardUnknown\":true}");

        assertThat(east.webAdmin().get("/split-routing/route?address=nobody@self.example").then().statusCode(200)
                .extract().jsonPath().getList("warnings", String.class))
            .containsExactly("relay " + east.relayAddress() + " is this server's own SMTP endpoint: mail relayed there comes straight back");
    }

    private static int occurrences(String text, String needle) {
        Matcher matcher = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
