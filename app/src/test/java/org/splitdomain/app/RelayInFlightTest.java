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
import static org.splitdomain.app.Mailboxes.PASSWORD;
import static org.splitdomain.app.Mailboxes.awaitMessages;
import static org.splitdomain.app.Mailboxes.messageCount;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.splitdomain.testing.SmtpSink;

import io.restassured.path.json.JsonPath;

/**
 * Settings that change while mail waits for its relay, as they do during a migration: the route of
 * every queued recipient is decided again at each attempt. The master runs james-conf/ with retries a
 * second apart; the partners listen on 127.0.0.2, the clients connect to 127.0.0.1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayInFlightTest {
    private static final String PARTNER_ADDRESS = "127.0.0.2";

    private JamesNode master;

    @BeforeAll
    void startMaster() throws Exception {
        master = JamesNode.start("in-flight", conf -> JamesNode.edit(conf,
            "<delayTime>1 minute, 5 minutes, 30 minutes, 2 hours, 6 hours</delayTime>", "<delayTime>1 second</delayTime>",
            "<maxRetries>5</maxRetries>", "<maxRetries>1000</maxRetries>"));
        master.data().addDomain("example.com");
        master.data().addDomain("fu.example");
        for (String user : List.of("hank", "ivan", "judy", "kim", "sender")) {
            master.data().addUser(user + "@example.com", PASSWORD);
        }
    }

    @AfterAll
    void stopMaster() {
        if (master != null) {
            master.close();
        }
    }

    private static String downRelay() throws Exception {
        return PARTNER_ADDRESS + ":" + SmtpSink.freePort();
    }

    private static SmtpSink partner() {
        return SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(0).start();
    }

    private JsonPath waitingMails() {
        return JsonPath.from(master.webAdmin().get("/split-routing/queue/mails").then().statusCode(200).extract().asString());
    }

    /** Waits until the mail to this recipient has been tried and refused at least once: it now waits for its retry. */
    private void awaitFailedAttemptFor(String recipient, String relay) {
        AWAIT.untilAsserted(() -> {
            List<Map<String, Object>> mails = waitingMails().getList("findAll { it.recipients.contains('" + recipient + "') }");
            assertThat(mails).singleElement().satisfies(mail -> {
                assertThat((Integer) mail.get("retries")).isGreaterThanOrEqualTo(1);
                assertThat((String) mail.get("lastError")).startsWith("relay " + relay + ": ");
            });
        });
    }

    private void awaitEmptyQueue() {
        AWAIT.untilAsserted(() -> assertThat(master.webAdmin().get("/split-routing/queue").then().statusCode(200)
            .extract().jsonPath().getInt("mails")).isZero());
    }

    @Test
    void mailWaitingForADownRelayShouldGoToTheRelayTheDomainIsSwitchedTo() throws Exception {
        String relayA = downRelay();
        master.putDomainRouting("example.com", "{\"relays\":[\"" + relayA + "\"]}");
        master.putUserRouting("hank@example.com", "{\"thirdParty\":true}");
        try (SmtpSink relayB = partner()) {
            SmtpSession.send(master.smtpPort(), "someone@external.org", "Subject: for hank\r\n\r\nhello\r\n", "hank@example.com");
            awaitFailedAttemptFor("hank@example.com", relayA);

            master.putDomainRouting("example.com", "{\"relays\":[\"" + relayB.relay() + "\"]}");

            AWAIT.untilAsserted(() -> assertThat(relayB.received()).singleElement().satisfies(received -> {
                assertThat(received.recipients).containsExactly("hank@example.com");
                assertThat(received.content).contains("Subject: for hank");
            }));
            awaitEmptyQueue();
        } finally {
            master.webAdmin().delete("/users/hank@example.com/split-routing").then().statusCode(204);
        }
    }

    @Test
    void mailOfAUserUnflaggedWhileItWaitsShouldBeDeliveredHere() throws Exception {
        String relay = downRelay();
        master.putDomainRouting("example.com", "{\"relays\":[\"" + relay + "\"]}");
        master.putUserRouting("ivan@example.com", "{\"thirdParty\":true}");

        SmtpSession.send(master.smtpPort(), "someone@external.org", "Subject: for ivan\r\n\r\nwelcome back\r\n", "ivan@example.com");
        awaitFailedAttemptFor("ivan@example.com", relay);

        master.webAdmin().body("{\"thirdParty\":false}").put("/users/ivan@example.com/split-routing").then().statusCode(204);

        assertThat(awaitMessages(master, "ivan@example.com", 1)).contains("Subject: for ivan");
        awaitEmptyQueue();
    }

    @Test
    void mailWaitingWhenTheDomainsSettingsAreDeletedShouldGetJamesNormalHandling() throws Exception {
        String relay = downRelay();
        master.putDomainRouting("fu.example", "{\"relays\":[\"" + relay + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}");
        try (SmtpSession session = SmtpSession.connect(master.submissionPort())) {
            session.authenticate("judy@example.com", PASSWORD);
            session.mailFrom("judy@example.com");
            assertThat(session.rcptTo("nobody@fu.example")).startsWith("250");
            assertThat(session.data("Subject: to nobody\r\n\r\nanyone?\r\n")).startsWith("250");
        }
        awaitFailedAttemptFor("nobody@fu.example", relay);

        master.webAdmin().delete("/domains/fu.example/split-routing").then().statusCode(204);

        // Without forwardUnknown, nobody@fu.example is an unknown address of a local domain: James bounces it.
        assertThat(awaitMessages(master, "judy@example.com", 1))
            .contains("nobody@fu.example")
            .contains("Subject: to nobody");
        awaitEmptyQueue();
    }

    @Test
    void oneRecipientRefusedOfThreeShouldGetOneDsnWhileTheOthersAreDeliveredInOneTransaction() throws Exception {
        master.data().addDomain("three.example");
        try (SmtpSink relay = SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(0)
                .refusing("two@three.example", 550, "5.1.1 <two@three.example>: no such user here")
                .start()) {
            master.putDomainRouting("three.example", "{\"relays\":[\"" + relay.relay() + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}");

            try (SmtpSession session = SmtpSession.connect(master.submissionPort())) {
                session.authenticate("kim@example.com", PASSWORD);
                session.mailFrom("kim@example.com");
                for (String recipient : List.of("one@three.example", "two@three.example", "three@three.example")) {
                    assertThat(session.rcptTo(recipient)).startsWith("250");
                }
                assertThat(session.data("Subject: to three\r\n\r\nhello all\r\n")).startsWith("250");
            }

            String dsn = awaitMessages(master, "kim@example.com", 1);
            assertThat(dsn)
                .contains("two@three.example")
                .contains("550 5.1.1 <two@three.example>: no such user here")
                .doesNotContain("Final-Recipient: rfc822; one@three.example")
                .doesNotContain("Final-Recipient: rfc822; three@three.example");
            assertThat(relay.received()).singleElement()
                .satisfies(received -> assertThat(received.recipients).containsExactly("one@three.example", "three@three.example"));
            awaitEmptyQueue();
            assertThat(messageCount(master, "kim@example.com")).isEqualTo(1);
        }
    }

    @Test
    void aBccRecipientShouldAppearNowhereInTheMessageTheOthersReceive() throws Exception {
        master.data().addDomain("bcc.example");
        master.data().addUser("local@bcc.example", PASSWORD);
        try (SmtpSink relay = partner()) {
            master.putDomainRouting("bcc.example", "{\"relays\":[\"" + relay.relay() + "\"],\"forwardUnknown\":true}");

            SmtpSession.send(master.smtpPort(), "someone@external.org",
                "To: visible@bcc.example, local@bcc.example\r\nSubject: with a blind copy\r\n\r\nhello\r\n",
                "visible@bcc.example", "hidden.bcc@bcc.example", "local@bcc.example");

            AWAIT.untilAsserted(() -> assertThat(relay.received()).singleElement().satisfies(received ->
                assertThat(received.recipients).containsExactly("visible@bcc.example", "hidden.bcc@bcc.example")));
            assertThat(relay.received().get(0).content).doesNotContainIgnoringCase("hidden.bcc");
            assertThat(awaitMessages(master, "local@bcc.example", 1))
                .contains("Subject: with a blind copy")
                .doesNotContainIgnoringCase("hidden.bcc");
        }
    }

    @Test
    void twoHundredMailsToOneRelayShouldUseAtMostTwentyConnections() throws Exception {
        master.data().addDomain("bulk.example");
        try (SmtpSink relay = partner()) {
            // Relaying is the subject: one client's 200 parallel sessions are more than recipient verification lets a client probe.
            master.putDomainRouting("bulk.example", "{\"relays\":[\"" + relay.relay() + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}");

            SmtpSession.sendInParallel(200, i -> master.smtpPort(), i -> "user" + (i % 7) + "@bulk.example");

            AWAIT.untilAsserted(() -> assertThat(relay.received()).hasSize(200));
            assertThat(relay.connectionsUsed()).isBetween(1L, 20L);
            awaitEmptyQueue();
        }
    }

    @Test
    void listingTheQueueWhileFiveHundredMailsAreDeliveredShouldStrandNone() throws Exception {
        master.data().addDomain("list.example");
        try (SmtpSink relay = partner()) {
            // 500 new recipients from one client: more than recipient verification lets it probe in a minute.
            master.putDomainRouting("list.example", "{\"relays\":[\"" + relay.relay() + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}");
            AtomicBoolean sending = new AtomicBoolean(true);
            AtomicInteger listings = new AtomicInteger();
            ExecutorService lister = Executors.newSingleThreadExecutor();
            Future<?> listing = lister.submit(() -> {
                while (sending.get() || relay.received().size() < 500) {
                    master.webAdmin().get("/split-routing/queue").then().statusCode(200);
                    master.webAdmin().get("/split-routing/queue/mails").then().statusCode(200);
                    listings.incrementAndGet();
                }
            });
            try {
                SmtpSession.sendInParallel(500, i -> master.smtpPort(), i -> "user" + i + "@list.example");
                sending.set(false);

                AWAIT.untilAsserted(() -> assertThat(relay.received()).hasSize(500));
                listing.get();
            } finally {
                sending.set(false);
                lister.shutdownNow();
            }
            assertThat(listings.get()).isGreaterThan(1);
            assertThat(relay.received().stream().flatMap(received -> received.recipients.stream()).distinct().count()).isEqualTo(500);
            awaitEmptyQueue();
        }
    }
}
