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

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.splitdomain.testing.SmtpSink;

import com.google.common.collect.ImmutableMap;

import io.restassured.path.json.JsonPath;

/**
 * Recipient verification at RCPT in real James servers over real sockets: clients on 127.0.0.1, partners on 127.0.0.2.
 * A slave that forwards unknown addresses asks its master before it accepts one, so that what the master refuses is
 * refused at the slave's RCPT, and nobody has to bounce it later to a sender that may be forged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecipientVerificationTest {
    private static final String PARTNER_ADDRESS = "127.0.0.2";
    private static final String VERIFICATION = "split-recipient-verification.properties";

    /** A James master on 127.0.0.2 that knows alice (hosted there) and bob (hosted on the slave). */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithAJamesMaster {
        private JamesNode master;
        private JamesNode slave;

        @BeforeAll
        void startServers() throws Exception {
            master = JamesNode.startOn("master", PARTNER_ADDRESS, conf -> conf);
            slave = JamesNode.start("slave");
            master.data().addDomain("example.com");
            master.data().addUser("alice@example.com", PASSWORD);
            master.data().addUser("bob@example.com", PASSWORD);
            slave.data().addDomain("example.com");
            slave.data().addUser("bob@example.com", PASSWORD);
            slave.data().addUser("erin@example.com", PASSWORD);
            master.putDomainRouting("example.com", "{\"relays\":[\"" + slave.relayAddress() + "\"],\"forwardUnknown\":false}");
            master.putUserRouting("bob@example.com", "{\"thirdParty\":true}");
            // Settings the slave does not match: carol is flagged but unknown there, robert@ is bob's alias here only.
            master.data().addUser("carol@example.com", PASSWORD);
            master.putUserRouting("carol@example.com", "{\"thirdParty\":true}");
            master.data().addUserAliasMapping("robert", "example.com", "bob@example.com");
            slave.putDomainRouting("example.com", "{\"relays\":[\"" + master.relayAddress() + "\"],\"forwardUnknown\":true}");
        }

        @AfterAll
        void stopServers() {
            slave.close();
            master.close();
        }

        @Test
        void verificationShouldBeOnByDefaultForADomainThatForwardsUnknownAddresses() {
            assertThat(slave.webAdmin().get("/domains/example.com/split-routing").then().statusCode(200).extract().jsonPath()
                .getBoolean("verifyRecipients")).isTrue();
        }

        @Test
        void aUserTheMasterKnowsShouldBeAcceptedAndDelivered() throws Exception {
            try (SmtpSession session = SmtpSession.connect(slave.smtpPort())) {
                session.mailFrom("sender@external.org");
                assertThat(session.rcptTo("alice@example.com")).startsWith("250");
                assertThat(session.data("Subject: through the slave\r\n\r\nhello alice\r\n")).startsWith("250");
            }

            assertThat(awaitMessages(master, "alice@example.com", 1)).contains("Subject: through the slave");
        }

        @Test
        void anAddressNobodyHostsShouldBeRefusedAtRcptWithoutNamingTheMasterAndNoDsnAnywhere() throws Exception {
            try (SmtpSession session = SmtpSession.connect(slave.smtpPort())) {
                session.mailFrom("erin@example.com");

                assertThat(session.rcptTo("nobody@example.com")).isEqualTo("550 5.1.1 <nobody@example.com>: no such recipient");
                assertThat(session.rcptTo("bob@example.com")).startsWith("250");
                assertThat(session.data("Subject: for bob and nobody\r\n\r\nhello\r\n")).startsWith("250");
            }

            assertThat(awaitMessages(slave, "bob@example.com", 1)).contains("Subject: for bob and nobody");
            JamesNode.awaitIdle(slave, master);
            assertThat(messageCount(slave, "erin@example.com")).as("DSNs to the sender").isZero();
            assertThat(slave.waitingMails().getList("mails")).isEmpty();
        }

        @Test
        void explainShouldWarnAboutTheAliasAndTellWhatThePartnerAnswersWhenAskedTo() {
            JsonPath plain = master.explainRoute("robert@example.com");
            assertThat(plain.getList("warnings", String.class)).singleElement().asString()
                .startsWith("robert@example.com is relayed unchanged: it is an alias of third-party user bob@example.com");
            assertThat(plain.getMap("decisions[0]")).doesNotContainKey("probe");

            JsonPath probed = JsonPath.from(master.webAdmin().get("/split-routing/route?address=robert@example.com&probe=true")
                .then().statusCode(200).extract().asString());

            assertThat(probed.getString("decisions[0].probe.result")).isEqualTo("refused");
            assertThat(probed.getString("decisions[0].probe.relay")).isEqualTo(slave.relayAddress());
            assertThat(probed.getString("decisions[0].probe.reply")).isEqualTo("550 5.1.1 <robert@example.com>: no such user here");
            assertThat(JsonPath.from(master.webAdmin().get("/split-routing/route?address=bob@example.com&probe=true")
                .then().statusCode(200).extract().asString()).getString("decisions[0].probe.result")).isEqualTo("accepted");
        }

        @Test
        void theConsistencyCheckShouldReportWhatTheSlaveRefusesWithTheFix() {
            String taskId = master.webAdmin().post("/split-routing/consistency-check?probesPerSecond=20")
                .then().statusCode(201).extract().jsonPath().getString("taskId");

            JsonPath task = JsonPath.from(master.webAdmin().get("/tasks/" + taskId + "/await?timeout=30s")
                .then().statusCode(200).extract().asString());

            assertThat(task.getString("status")).isEqualTo("completed");
            assertThat(task.getString("type")).isEqualTo("split-routing-consistency-check");
            assertThat(task.getInt("additionalInformation.usersChecked")).isEqualTo(2);
            assertThat(task.getInt("additionalInformation.addressesChecked")).isEqualTo(3);
            assertThat(task.getList("additionalInformation.unverified")).isEmpty();
            assertThat(task.getList("additionalInformation.refused.address")).containsExactly("robert@example.com", "carol@example.com");
            assertThat(task.getMap("additionalInformation.refused[0]")).containsEntry("user", "bob@example.com")
                .containsEntry("kind", "alias-relayed-unchanged")
                .containsEntry("relay", slave.relayAddress())
                .containsEntry("reply", "550 5.1.1 <robert@example.com>: no such user here")
                .containsEntry("forwardedAddresses", List.of("bob@example.com"))
                .containsEntry("fix", "create robert@example.com at " + slave.relayAddress() + ", or forward only the addresses it knows "
                    + "(\"forwardedAddresses\": [\"bob@example.com\"]): robert@example.com is then rewritten to bob@example.com before it is relayed");
            assertThat(task.getMap("additionalInformation.refused[1]")).containsEntry("user", "carol@example.com")
                .containsEntry("kind", "forwarded-address")
                .doesNotContainKey("forwardedAddresses")
                .containsEntry("fix", slave.relayAddress() + " knows no address of carol@example.com: create carol@example.com there, "
                    + "or unflag carol@example.com (\"thirdParty\": false) to keep its mail on this server");
        }

        @Test
        void anAliasLeftOutOfForwardedAddressesAsTheFixSaysShouldReachTheUserAtTheSlave() throws Exception {
            master.data().addUser("dora@example.com", PASSWORD);
            master.data().addUserAliasMapping("dorothy", "example.com", "dora@example.com");
            slave.data().addUser("dora@example.com", PASSWORD);
            master.putUserRouting("dora@example.com", "{\"thirdParty\":true,\"forwardedAddresses\":[\"dora@example.com\"]}");
            try {
                SmtpSession.send(master.address(), master.smtpPort(), "sender@external.org", "Subject: to dorothy\r\n\r\nhi\r\n",
                    "dorothy@example.com");

                assertThat(awaitMessages(slave, "dora@example.com", 1)).contains("Subject: to dorothy");
            } finally {
                master.putUserRouting("dora@example.com", "{\"thirdParty\":false}");
            }
        }
    }

    /** The slave's partner is an SMTP server the test watches: each RCPT it is asked is a probe or a mail. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithAWatchedPartner {
        private JamesNode slave;
        private SmtpSink partner;

        @BeforeAll
        void startServer() throws Exception {
            slave = JamesNode.start("slave", ImmutableMap.of(VERIFICATION, conf -> conf
                + "probe.timeout=5s\ncache.negative.lifetime=3s\ncircuit.failures=100\n"));
            slave.data().addDomain("example.com");
        }

        @AfterAll
        void stopServer() {
            slave.close();
        }

        @AfterEach
        void stopPartner() {
            if (partner != null) {
                partner.close();
            }
        }

        private void partnerKnowing(String... users) {
            partner = SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(0).knowing(users).start();
            slave.putDomainRouting("example.com", "{\"relays\":[\"" + partner.relay() + "\"],\"forwardUnknown\":true}");
        }

        private String rcpt(String recipient) throws Exception {
            try (SmtpSession session = SmtpSession.connect(slave.smtpPort())) {
                session.mailFrom("sender@external.org");
                return session.rcptTo(recipient);
            }
        }

        @Test
        void aSecondRcptForTheSameAddressShouldBeAnsweredFromTheCache() throws Exception {
            partnerKnowing("carol@example.com");

            assertThat(rcpt("carol@example.com")).startsWith("250");
            assertThat(rcpt("carol@example.com")).startsWith("250");
            assertThat(rcpt("nobody@example.com")).startsWith("550 5.1.1");
            assertThat(rcpt("nobody@example.com")).startsWith("550 5.1.1");

            assertThat(partner.recipientsAsked()).containsExactly("carol@example.com", "nobody@example.com");
            assertThat(partner.received()).isEmpty();
        }

        @Test
        void aRefusalShouldBeAskedAgainOnceTheNegativeLifetimeIsOver() throws Exception {
            partnerKnowing("carol@example.com");
            // Taken before the RCPT: the refusal is cached while that RCPT is answered, so its lifetime starts after this.
            Instant beforeRefusal = Instant.now();
            assertThat(rcpt("dan@example.com")).startsWith("550 5.1.1");

            AWAIT.untilAsserted(() -> {
                rcpt("dan@example.com");
                assertThat(partner.recipientsAsked()).containsExactly("dan@example.com", "dan@example.com");
            });
            assertThat(Duration.between(beforeRefusal, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        }

        @Test
        void aPartnerThatIsDownShouldGive450AndThe250OnceItIsBack() throws Exception {
            int port = SmtpSink.freePort();
            slave.putDomainRouting("example.com", "{\"relays\":[\"" + PARTNER_ADDRESS + ":" + port + "\"],\"forwardUnknown\":true}");

            assertThat(rcpt("carol@example.com")).isEqualTo("450 4.4.1 <carol@example.com>: cannot be verified now, try again later");

            partner = SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(port).knowing("carol@example.com").start();
            assertThat(rcpt("carol@example.com")).startsWith("250");
        }

        @Test
        void aPartnerSlowerThanTheBudgetShouldGive450InProgressAndItsAnswerToTheRetry() throws Exception {
            partner = SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(0).knowing("carol@example.com")
                .answeringRcptAfter(Duration.ofSeconds(3)).start();
            slave.putDomainRouting("example.com", "{\"relays\":[\"" + partner.relay() + "\"],\"forwardUnknown\":true}");

            assertThat(rcpt("carol@example.com"))
                .isEqualTo("450 4.1.1 <carol@example.com>: recipient verification in progress, try again later");
            assertThat(rcpt("nobody@example.com"))
                .isEqualTo("450 4.1.1 <nobody@example.com>: recipient verification in progress, try again later");

            // The sender's retry: the probe went on past the RCPT and its answer, positive or negative, waits in the cache.
            AWAIT.untilAsserted(() -> assertThat(rcpt("carol@example.com")).startsWith("250"));
            AWAIT.untilAsserted(() -> assertThat(rcpt("nobody@example.com")).isEqualTo("550 5.1.1 <nobody@example.com>: no such recipient"));
            assertThat(partner.recipientsAsked()).containsExactly("carol@example.com", "nobody@example.com");
        }

        @Test
        void forgettingTheCacheShouldMakeTheNextRcptAskAgain() throws Exception {
            partnerKnowing("carol@example.com");
            assertThat(rcpt("erwin@example.com")).startsWith("550 5.1.1");

            int forgotten = slave.webAdmin().delete("/split-routing/verification/cache").then().statusCode(200)
                .extract().jsonPath().getInt("forgotten");

            assertThat(forgotten).isPositive();
            assertThat(rcpt("erwin@example.com")).startsWith("550 5.1.1");
            assertThat(partner.recipientsAsked()).containsExactly("erwin@example.com", "erwin@example.com");
        }

        @Test
        void theVerificationStateShouldShowTheSettingsInForceAndTheOpenCircuits() {
            JsonPath state = slave.webAdmin().get("/split-routing/verification").then().statusCode(200).extract().jsonPath();

            assertThat(state.getString("rcptBudget")).isEqualTo("1s");
            assertThat(state.getString("probeTimeout")).isEqualTo("5s");
            assertThat(state.getInt("clientProbesPerMinute")).isEqualTo(30);
            assertThat(state.getInt("clientProbesInFlight")).isEqualTo(2);
            assertThat(state.getString("negativeLifetime")).isEqualTo("3s");
            assertThat(state.getString("positiveLifetime")).isEqualTo("604800s");
            assertThat(state.getInt("circuitFailures")).isEqualTo(100);
            assertThat(state.getMap("openCircuits")).isEmpty();
        }

        @Test
        void aConsistencyCheckAtARateThatIsNoneShouldBeRefused() {
            slave.webAdmin().post("/split-routing/consistency-check?probesPerSecond=fast").then().statusCode(400)
                .body("message", org.hamcrest.Matchers.is("'probesPerSecond' must be a number more than 0; got 'fast'"));
        }

        @Test
        void aDomainThatTurnedVerificationOffShouldAcceptWithoutAsking() throws Exception {
            partnerKnowing("carol@example.com");
            slave.putDomainRouting("example.com", "{\"relays\":[\"" + partner.relay() + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}");

            assertThat(rcpt("nobody@example.com")).startsWith("250");
            assertThat(partner.recipientsAsked()).isEmpty();
        }
    }

    /** Two servers that both forward unknown addresses and both verify: each is the other's relay. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class BetweenTwoForwardingServers {
        private JamesNode east;
        private JamesNode west;

        @BeforeAll
        void startServers() throws Exception {
            east = JamesNode.start("east");
            west = JamesNode.startOn("west", PARTNER_ADDRESS, conf -> conf);
            east.data().addDomain("example.com");
            east.data().addUser("alice@example.com", PASSWORD);
            west.data().addDomain("example.com");
            west.data().addUser("bob@example.com", PASSWORD);
            east.putDomainRouting("example.com", "{\"relays\":[\"" + west.relayAddress() + "\"],\"forwardUnknown\":true}");
            west.putDomainRouting("example.com", "{\"relays\":[\"" + east.relayAddress() + "\"],\"forwardUnknown\":true}");
        }

        @AfterAll
        void stopServers() {
            east.close();
            west.close();
        }

        @Test
        void anAddressNobodyHostsShouldBeRefusedWithinSecondsAfterOneProbe() throws Exception {
            Instant start = Instant.now();
            String reply;
            try (SmtpSession session = SmtpSession.connect(east.smtpPort())) {
                session.mailFrom("sender@external.org");
                reply = session.rcptTo("nobody@example.com");
            }

            // One probe, east to west; west answered from what it knows, without asking east back.
            assertThat(reply).isEqualTo("550 5.1.1 <nobody@example.com>: no such recipient");
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(5));
            // The administrator's explanation keeps what the client is not told: who refused, and how.
            JsonPath probed = JsonPath.from(east.webAdmin().get("/split-routing/route?address=nobody@example.com&probe=true")
                .then().statusCode(200).extract().asString());
            assertThat(probed.getString("decisions[0].probe.relay")).isEqualTo(west.relayAddress());
            assertThat(probed.getString("decisions[0].probe.reply")).isEqualTo("550 5.1.1 <nobody@example.com>: no such user here");
        }

        @Test
        void eachServersUsersShouldStillBeReachedThroughTheOther() throws Exception {
            SmtpSession.send(east.smtpPort(), "sender@external.org", "Subject: for bob via east\r\n\r\nhi\r\n", "bob@example.com");
            SmtpSession.send(west.address(), west.smtpPort(), "sender@external.org", "Subject: for alice via west\r\n\r\nhi\r\n",
                "alice@example.com");

            assertThat(awaitMessages(west, "bob@example.com", 1)).contains("Subject: for bob via east");
            assertThat(awaitMessages(east, "alice@example.com", 1)).contains("Subject: for alice via west");
        }
    }
}
