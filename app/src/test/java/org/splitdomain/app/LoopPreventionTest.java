package org.splitdomain.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitdomain.app.Mailboxes.PASSWORD;
import static org.splitdomain.app.Mailboxes.awaitMessages;
import static org.splitdomain.app.Mailboxes.messageCount;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The misconfiguration operators really make: two servers that both forward the unknown addresses of
 * example.com to each other. alice and carol are hosted on "east", dan on "west"; nobody hosts nobody@.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoopPreventionTest {
    private JamesNode east;
    private JamesNode west;

    @BeforeAll
    void startServers() throws Exception {
        east = JamesNode.start("east");
        west = JamesNode.start("west");
        east.data().addDomain("example.com");
        east.data().addUser("alice@example.com", PASSWORD);
        east.data().addUser("carol@example.com", PASSWORD);
        west.data().addDomain("example.com");
        west.data().addUser("dan@example.com", PASSWORD);
        west.data().addUser("erin@example.com", PASSWORD);
        east.putDomainRouting("example.com", "{\"relays\":[\"" + west.relayAddress() + "\"],\"forwardUnknown\":true}");
        west.putDomainRouting("example.com", "{\"relays\":[\"" + east.relayAddress() + "\"],\"forwardUnknown\":true}");
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
        // The original travels back inside the DSN: one mark from each server it crossed.
        assertThat(occurrences(dsn, "X-Split-Domain-Relayed: nobody@example.com")).isEqualTo(2);
        Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
            .until(() -> messageCount(east, "alice@example.com") == 1);
    }

    @Test
    void loopMarkShouldSurviveAPartnerThatIsAnotherMta() throws Exception {
        east.data().addDomain("foreign.example");
        east.data().addUser("carol@foreign.example", PASSWORD);
        try (SmtpSink partner = SmtpSink.forwardingTo(SmtpSink.freePort(), east.smtpPort())) {
            east.putDomainRouting("foreign.example", "{\"relays\":[\"127.0.0.1:" + partner.port() + "\"],\"forwardUnknown\":true}");

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
            "X-Split-Domain-Relayed: erin@example.com; sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n"
                + "Subject: forged mark\r\n\r\nstill for erin\r\n", "erin@example.com");

        assertThat(awaitMessages(west, "erin@example.com", 1)).contains("Subject: forged mark");
    }

    @Test
    void legitimateMailShouldStillFlowBothWays() throws Exception {
        SmtpSession.send(east.smtpPort(), "someone@external.org", "Subject: east to west\r\n\r\nhi dan\r\n", "dan@example.com");
        SmtpSession.send(west.smtpPort(), "someone@external.org", "Subject: west to east\r\n\r\nhi carol\r\n", "carol@example.com");

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
