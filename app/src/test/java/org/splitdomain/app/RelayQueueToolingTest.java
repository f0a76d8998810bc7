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
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.splitdomain.app.Mailboxes.AWAIT;
import static org.splitdomain.app.Mailboxes.PASSWORD;
import static org.splitdomain.app.Mailboxes.awaitMessages;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.splitdomain.testing.SmtpSink;

import io.restassured.path.json.JsonPath;

/**
 * The relay queue as an operator sees and handles it through WebAdmin, on a master whose retries are an
 * hour apart: nothing moves unless the operator says so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayQueueToolingTest {
    private static final String PARTNER_ADDRESS = "127.0.0.2";

    private JamesNode master;
    private String downRelay;
    private SmtpSink partner;

    @BeforeAll
    void startMaster() throws Exception {
        master = JamesNode.start("queue-tooling", conf -> JamesNode.edit(conf,
            "<delayTime>1 minute, 5 minutes, 30 minutes, 2 hours, 6 hours</delayTime>", "<delayTime>1 hour</delayTime>"));
        master.data().addDomain("example.com");
        master.data().addDomain("partner.example");
        master.data().addUser("alice@example.com", PASSWORD);
        master.data().addUser("remover@example.com", PASSWORD);
    }

    @AfterAll
    void stopMaster() {
        if (master != null) {
            master.close();
        }
    }

    @BeforeEach
    void relayDown() throws Exception {
        downRelay = PARTNER_ADDRESS + ":" + SmtpSink.freePort(PARTNER_ADDRESS);
        partner = SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(0).start();
        master.putDomainRouting("partner.example", "{\"relays\":[\"" + downRelay + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}");
    }

    @AfterEach
    void emptyTheQueue() {
        partner.close();
        for (String name : waitingMails().getList("name", String.class)) {
            master.webAdmin().delete("/split-routing/queue/mails/" + name);
        }
    }

    private JsonPath waitingMails() {
        return JsonPath.from(master.webAdmin().get("/split-routing/queue/mails").then().statusCode(200).extract().asString());
    }

    private String waitingMailTo(String recipient) throws Exception {
        return waitingMail("alice@example.com", recipient);
    }

    /** Sends a mail to the partner's domain and waits until its first attempt failed; returns its name. */
    private String waitingMail(String sender, String recipient) throws Exception {
        try (SmtpSession session = SmtpSession.connect(master.submissionPort())) {
            session.authenticate(sender, PASSWORD);
            session.mailFrom(sender);
            assertThat(session.rcptTo(recipient)).startsWith("250");
            assertThat(session.data("Subject: for " + recipient + "\r\n\r\nhello\r\n")).startsWith("250");
        }
        AWAIT.untilAsserted(() -> assertThat(waitingMails().getList("findAll { it.recipients.contains('" + recipient + "') && it.lastError != null }"))
            .hasSize(1));
        return waitingMails().getString("find { it.recipients.contains('" + recipient + "') }.name");
    }

    @Test
    void theSummaryShouldGiveEachRelaysWaitingMailOldestAgeLastErrorAndNextAttempt() throws Exception {
        String name = waitingMailTo("carol@partner.example");

        JsonPath summary = JsonPath.from(master.webAdmin().get("/split-routing/queue").then().statusCode(200).extract().asString());

        assertThat(summary.getString("queue")).isEqualTo("split-domain-relay");
        assertThat(summary.getInt("mails")).isEqualTo(1);
        Map<String, Object> relay = summary.getMap("relays[0]");
        assertThat(relay.get("relay")).isEqualTo(downRelay);
        assertThat(relay.get("mails")).isEqualTo(1);
        assertThat((String) relay.get("lastError")).startsWith("relay " + downRelay + ": cannot open a session");
        assertThat((Integer) relay.get("oldestAgeSeconds")).isBetween(0, 60);
        assertThat(Instant.parse((String) relay.get("nextAttempt"))).isAfter(Instant.now().plus(Duration.ofMinutes(50)));
        JsonPath mail = JsonPath.from(master.webAdmin().get("/split-routing/queue/mails?relay=" + downRelay).then().statusCode(200)
            .extract().asString());
        assertThat(mail.getList("name")).containsExactly(name);
        assertThat(mail.getString("[0].sender")).isEqualTo("alice@example.com");
        assertThat(mail.getList("[0].relays")).containsExactly(downRelay);
    }

    @Test
    void retryNowForARelayShouldDeliverItsMailBeforeItsNextAttempt() throws Exception {
        waitingMailTo("dave@partner.example");
        master.putDomainRouting("partner.example", "{\"relays\":[\"" + partner.relay() + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}");
        // The queue lists the mail under the relay its next attempt will use.
        assertThat(waitingMails().getList("[0].relays")).containsExactly(partner.relay());

        assertThat(master.webAdmin().post("/split-routing/queue/retry?relay=" + partner.relay()).then().statusCode(200)
            .extract().jsonPath().getInt("retried")).isEqualTo(1);

        AWAIT.untilAsserted(() -> assertThat(partner.received()).singleElement()
            .satisfies(received -> assertThat(received.recipients).containsExactly("dave@partner.example")));
        AWAIT.untilAsserted(() -> assertThat(waitingMails().getList("name")).isEmpty());
    }

    @Test
    void retryNowOfOneMailShouldDeliverThatMailOnly() throws Exception {
        String erin = waitingMailTo("erin@partner.example");
        waitingMailTo("frank@partner.example");
        master.putDomainRouting("partner.example", "{\"relays\":[\"" + partner.relay() + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}");

        master.webAdmin().post("/split-routing/queue/mails/" + erin + "/retry").then().statusCode(200).body("retried", is(1));

        AWAIT.untilAsserted(() -> assertThat(partner.received()).singleElement()
            .satisfies(received -> assertThat(received.recipients).containsExactly("erin@partner.example")));
        assertThat(waitingMails().getList("recipients.flatten()")).containsExactly("frank@partner.example");
    }

    @Test
    void retryNowOfEverythingShouldDeliverEveryWaitingMail() throws Exception {
        waitingMailTo("gina@partner.example");
        waitingMailTo("hugo@partner.example");
        master.putDomainRouting("partner.example", "{\"relays\":[\"" + partner.relay() + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}");

        master.webAdmin().post("/split-routing/queue/retry").then().statusCode(200).body("retried", is(2));

        AWAIT.untilAsserted(() -> assertThat(partner.received()).hasSize(2));
        AWAIT.untilAsserted(() -> assertThat(waitingMails().getList("name")).isEmpty());
    }

    @Test
    void removingAMailShouldReturnItToItsSenderWithADsnAndNeverDeliverIt() throws Exception {
        String name = waitingMail("remover@example.com", "ivy@partner.example");

        master.webAdmin().delete("/split-routing/queue/mails/" + name).then().statusCode(200)
            .body("removed", is(name))
            .body("bounced", is(List.of("ivy@partner.example")));

        assertThat(awaitMessages(master, "remover@example.com", 1))
            .contains("ivy@partner.example")
            .contains("Removed from the split-domain relay queue by the mail administrator");
        assertThat(waitingMails().getList("name")).isEmpty();
        master.putDomainRouting("partner.example", "{\"relays\":[\"" + partner.relay() + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}");
        master.webAdmin().post("/split-routing/queue/retry").then().statusCode(200).body("retried", is(0));
        assertThat(partner.received()).isEmpty();
    }

    @Test
    void aMailThatIsNotWaitingShouldBeNotFound() {
        master.webAdmin().post("/split-routing/queue/mails/no-such-mail/retry").then().statusCode(404)
            .body("message", is("Mail 'no-such-mail' is not waiting in split-domain-relay (delivered, removed, or being delivered right now)"));
        master.webAdmin().delete("/split-routing/queue/mails/no-such-mail").then().statusCode(404);
    }

    @Test
    void aBadRelayParameterShouldBeRefused() {
        master.webAdmin().get("/split-routing/queue/mails?relay=mx:99999").then().statusCode(400)
            .body("message", startsWith("Invalid 'relay' parameter: relay 'mx:99999': port must be 1-65535"));
    }

    @Test
    void aMalformedRelayShouldBeNamedOnceWithItsProblem() {
        master.webAdmin().post("/domains/partner.example/split-routing/relays/mx:25x/test").then().statusCode(400)
            .body("message", is("relay 'mx:25x': port '25x' is not a number from 1 to 65535"));
        master.webAdmin().get("/split-routing/queue/mails?relay=mx:0").then().statusCode(400)
            .body("message", is("Invalid 'relay' parameter: relay 'mx:0': port must be 1-65535"));
        master.webAdmin().post("/split-routing/queue/retry?relay=mx.example.com:99999").then().statusCode(400)
            .body("message", is("Invalid 'relay' parameter: relay 'mx.example.com:99999': port must be 1-65535"));
    }
}
