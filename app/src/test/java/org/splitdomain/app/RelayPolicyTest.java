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
import static org.splitdomain.app.Mailboxes.AWAIT;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;
import org.splitdomain.testing.SmtpSink;
import org.splitdomain.testing.TestCertificates;

import com.google.common.collect.ImmutableMap;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.restassured.path.json.JsonPath;

/**
 * Each relay's TLS and AUTH policy, set through WebAdmin on a real James, against partners on 127.0.0.2
 * that offer STARTTLS with a keytool certificate and require AUTH; the secret lives in
 * conf/split-relay-credentials.properties and nowhere else.
 */
@Isolated("reads the relay engine's log lines, which another class's James would add to")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayPolicyTest {
    private static final String PARTNER_ADDRESS = "127.0.0.2";
    private static final String SECRET = "the-partner-cloud-secret";

    private JamesNode master;
    private TestCertificates certificates;
    private ListAppender<ILoggingEvent> logs;
    private SmtpSink relay;

    @BeforeAll
    void startMaster() throws Exception {
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        certificates = TestCertificates.create();
        master = JamesNode.start("relay-policy", ImmutableMap.of(
            "split-relay-credentials.properties", conf -> "partner-cloud.username=relay@example.com\npartner-cloud.password=" + SECRET + "\n",
            "mailetcontainer.xml", conf -> JamesNode.edit(conf,
                "<delayTime>1 minute, 5 minutes, 30 minutes, 2 hours, 6 hours</delayTime>", "<delayTime>1 hour</delayTime>")));
        master.data().addDomain("partner.example");
    }

    @AfterAll
    void stopMaster() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        if (master != null) {
            master.close();
        }
    }

    @AfterEach
    void stopRelay() {
        if (relay != null) {
            relay.close();
        }
    }

    private SmtpSink.Builder partner() throws Exception {
        return SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(0);
    }

    private void relayThrough(SmtpSink partner, String policy) {
        relayThrough(partner, policy, true);
    }

    // Without verification, mail for the domain is queued whatever the relay would answer: what delivery then does is the test.
    private void relayThrough(SmtpSink partner, String policy, boolean verifyRecipients) {
        relay = partner;
        master.putDomainRouting("partner.example", "{\"relays\":[{\"relay\":\"" + partner.relay() + "\"," + policy + "}],"
            + "\"forwardUnknown\":true,\"verifyRecipients\":" + verifyRecipients + "}");
    }

    private JsonPath testRelay() {
        return JsonPath.from(master.webAdmin().post("/domains/partner.example/split-routing/relays/" + relay.relay() + "/test")
            .then().statusCode(200).extract().asString());
    }

    private JsonPath waitingMails() {
        return JsonPath.from(master.webAdmin().get("/split-routing/queue/mails").then().statusCode(200).extract().asString());
    }

    private List<String> loggedLines() {
        return logs.list.stream()
            .map(event -> event.getFormattedMessage() + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy())))
            .collect(Collectors.toList());
    }

    @Test
    void aNamedCredentialShouldAuthenticateOverTlsAndItsSecretShouldAppearInNoAnswerNorLog() throws Exception {
        relayThrough(partner()
                .startTls(TestCertificates.serverContext(certificates.selfSigned("partner")))
                .requiringLogin("relay@example.com", SECRET)
                .start(),
            "\"tls\":\"encrypt\",\"credential\":\"partner-cloud\"");

        SmtpSession.send(master.smtpPort(), "someone@external.org", "Subject: authenticated\r\n\r\nhello\r\n", "carol@partner.example");

        AWAIT.untilAsserted(() -> assertThat(relay.received()).singleElement().satisfies(received -> {
            assertThat(received.authenticatedAs).contains("relay@example.com");
            assertThat(received.overTls).isTrue();
        }));
        String plainAuth = Base64.getEncoder().encodeToString(("\0relay@example.com\0" + SECRET).getBytes(StandardCharsets.UTF_8));
        for (String answer : List.of(
                master.webAdmin().get("/domains/partner.example/split-routing").then().statusCode(200).extract().asString(),
                master.webAdmin().get("/split-routing/domains").then().statusCode(200).extract().asString(),
                master.webAdmin().get("/split-routing/export").then().statusCode(200).extract().asString(),
                master.webAdmin().get("/split-routing/route?address=carol@partner.example").then().statusCode(200).extract().asString(),
                testRelay().prettify())) {
            assertThat(answer).doesNotContain(SECRET).doesNotContain(plainAuth);
        }
        assertThat(master.webAdmin().get("/domains/partner.example/split-routing").then().extract().asString()).contains("partner-cloud");
        assertThat(loggedLines()).isNotEmpty().noneSatisfy(line -> assertThat(line).contains(SECRET));
        assertThat(loggedLines()).noneSatisfy(line -> assertThat(line).contains(plainAuth));
    }

    @Test
    void encryptTowardsARelayWithoutStartTlsShouldDeferAndSendItNothing() throws Exception {
        relayThrough(partner().start(), "\"tls\":\"encrypt\"", false);

        SmtpSession.send(master.smtpPort(), "someone@external.org", "Subject: never in clear\r\n\r\nsecret stuff\r\n", "dave@partner.example");

        AWAIT.untilAsserted(() -> assertThat(waitingMails().getString("find { it.recipients.contains('dave@partner.example') }.lastError"))
            .contains("STARTTLS is required but host does not support STARTTLS"));
        assertThat(relay.received()).isEmpty();
        master.webAdmin().delete("/split-routing/queue/mails/" + waitingMails().getString("[0].name")).then().statusCode(200);
    }

    @Test
    void recipientVerificationShouldAskTheRelayUnderItsPolicyOnlyAndAnswer450WhenThePolicyCannotBeMet() throws Exception {
        relayThrough(partner().start(), "\"tls\":\"encrypt\"");

        try (SmtpSession session = SmtpSession.connect(master.smtpPort())) {
            session.mailFrom("someone@external.org");

            assertThat(session.rcptTo("frank@partner.example"))
                .isEqualTo("450 4.4.1 <frank@partner.example>: cannot be verified now, try again later");
        }
        assertThat(relay.recipientsAsked()).isEmpty();
        // The client is not told why; the administrator's explanation is.
        assertThat(master.webAdmin().get("/split-routing/route?address=frank@partner.example&probe=true").then().statusCode(200)
            .extract().jsonPath().getString("decisions[0].probe.reply"))
            .startsWith("relay " + relay.relay() + ": ").contains("STARTTLS is required but host does not support STARTTLS");
    }

    @Test
    void recipientVerificationShouldAskOverTlsWhenThePolicyRequiresIt() throws Exception {
        // encrypt: STARTTLS or nothing, so an answer means the probe ran encrypted.
        relayThrough(partner().startTls(TestCertificates.serverContext(certificates.selfSigned("partner"))).start(), "\"tls\":\"encrypt\"");

        try (SmtpSession session = SmtpSession.connect(master.smtpPort())) {
            session.mailFrom("someone@external.org");

            assertThat(session.rcptTo("gail@partner.example")).startsWith("250");
        }
        assertThat(relay.recipientsAsked()).containsExactly("gail@partner.example");
    }

    @Test
    void verifyTowardsARelayWithASelfSignedCertificateShouldDeferAndSendItNothing() throws Exception {
        relayThrough(partner().startTls(TestCertificates.serverContext(certificates.selfSigned("partner"))).start(), "\"tls\":\"verify\"",
            false);

        SmtpSession.send(master.smtpPort(), "someone@external.org", "Subject: verified only\r\n\r\nhello\r\n", "erin@partner.example");

        AWAIT.untilAsserted(() -> assertThat(waitingMails().getString("find { it.recipients.contains('erin@partner.example') }.lastError"))
            .contains("Could not convert socket to TLS"));
        assertThat(relay.received()).isEmpty();
        master.webAdmin().delete("/split-routing/queue/mails/" + waitingMails().getString("[0].name")).then().statusCode(200);
    }

    @Test
    void theRelayTestShouldTellEachStepOfASessionThatWorks() throws Exception {
        relayThrough(partner()
                .startTls(TestCertificates.serverContext(certificates.selfSigned("partner")))
                .requiringLogin("relay@example.com", SECRET)
                .start(),
            "\"tls\":\"encrypt\",\"credential\":\"partner-cloud\"");

        JsonPath report = testRelay();

        assertThat(report.getString("result")).isEqualTo("ok");
        assertThat(report.getString("relay.credential")).isEqualTo("partner-cloud");
        assertThat(report.getList("steps.step")).containsExactly("connect", "ehlo", "starttls", "auth");
        assertThat(report.getList("steps.result")).containsExactly("ok", "ok", "ok", "ok");
        assertThat(report.getList("dialogue", String.class))
            .contains("C: STARTTLS", "C: AUTH (not shown: it carries the credential)")
            .allSatisfy(line -> assertThat(line).doesNotContain(SECRET));
        assertThat(relay.received()).isEmpty();
    }

    @Test
    void theRelayTestShouldTellWhereASessionFails() throws Exception {
        relayThrough(partner().start(), "\"tls\":\"encrypt\"");

        JsonPath report = testRelay();

        assertThat(report.getString("result")).isEqualTo("failed");
        assertThat(report.getString("error")).contains("STARTTLS is required but host does not support STARTTLS");
        assertThat(report.getList("steps.step")).containsExactly("connect", "ehlo", "starttls");
        assertThat(report.getList("steps.result")).containsExactly("ok", "ok", "failed");
    }

    @Test
    void theRelayTestShouldTellARelayThatCannotBeReached() throws Exception {
        relay = partner().start();
        String down = relay.relay();
        relay.close();
        master.putDomainRouting("partner.example", "{\"relays\":[{\"relay\":\"" + down + "\",\"tls\":\"may\"}],\"forwardUnknown\":true}");

        JsonPath report = JsonPath.from(master.webAdmin().post("/domains/partner.example/split-routing/relays/" + down + "/test")
            .then().statusCode(200).extract().asString());

        assertThat(report.getString("result")).isEqualTo("failed");
        assertThat(report.getList("steps.step")).containsExactly("connect");
        assertThat(report.getString("steps[0].detail")).contains("Couldn't connect to host");
        relay = null;
    }

    @Test
    void theRelayTestShouldRefuseARelayTheDomainDoesNotHave() {
        master.putDomainRouting("partner.example", "{\"relays\":[\"" + PARTNER_ADDRESS + ":2525\"],\"forwardUnknown\":true}");

        master.webAdmin().post("/domains/partner.example/split-routing/relays/10.9.9.9:25/test").then().statusCode(404)
            .body("message", org.hamcrest.Matchers.is("Relay 10.9.9.9:25 is not a relay of partner.example"));
    }
}
