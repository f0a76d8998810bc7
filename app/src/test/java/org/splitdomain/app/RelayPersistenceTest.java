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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.splitdomain.testing.SmtpSink;

import com.google.common.collect.ImmutableMap;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * Mail waiting in the relay queue over a stop and over a crash, on the persistent queue of James's JPA
 * flavour (ActiveMQ, embedded, on disk), its file mail repositories (the waiting room of mail between two
 * attempts) and the JPA settings store (Derby on disk): the crash on the launcher's JPA server in a JVM of its own;
 * the others in this JVM on the memory flavour given the JPA flavour's queue, whose forgetfulness at a restart is
 * part of issue 25's start-up recipe. example.com is configured in domainlist.xml and forwards its unknown
 * addresses, so routing needs nothing that a memory flavour would forget.
 */
class RelayPersistenceTest {
    private static final ConditionFactory AWAIT = Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200));
    private static final String PARTNER_ADDRESS = "127.0.0.2";

    private Path database;
    private SmtpSink relay;
    private JamesProcess process;

    @BeforeEach
    void setUp() throws Exception {
        database = Files.createTempDirectory("split-domain-queue-derby-").resolve("james");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (process != null) {
            process.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    // The launcher's JPA server (--flavour jpa: ActiveMQ, file mail repositories, users and settings in Derby), in a JVM of its own.
    private JamesProcess startJpaLauncher(String moreMailetParameters) throws Exception {
        process = JamesProcess.prepare("relay-persistence", Flavour.JPA, "127.0.0.1", ImmutableMap.of("mailetcontainer.xml", conf -> JamesNode.edit(conf,
                "<delayTime>1 minute, 5 minutes, 30 minutes, 2 hours, 6 hours</delayTime>", "<delayTime>1 second</delayTime>",
                "<maxRetries>5</maxRetries>", "<maxRetries>1000</maxRetries>" + moreMailetParameters)))
            .startLauncher("--flavour", "jpa");
        process.webAdmin().put("/domains/example.com").then().statusCode(204);
        return process;
    }

    private Map<String, UnaryOperator<String>> persistentFlavour() {
        return persistentFlavour("");
    }

    private Map<String, UnaryOperator<String>> persistentFlavour(String moreMailetParameters) {
        return persistentFlavour("1 second", moreMailetParameters, "example.com");
    }

    private Map<String, UnaryOperator<String>> persistentFlavour(String delayTime, String moreMailetParameters, String... domains) {
        String domainNames = java.util.Arrays.stream(domains).map(domain -> "<domainname>" + domain + "</domainname>")
            .collect(Collectors.joining());
        return ImmutableMap.of(
            "mailrepositorystore.xml", conf -> MailRepositoryStores.FILE,
            "extensions.properties", conf -> JamesNode.edit(conf,
                "org.splitdomain.guice.MemorySplitRoutingModule", "org.splitdomain.guice.JpaSplitRoutingModule"),
            "james-database.properties", conf -> "database.driverClassName=org.apache.derby.jdbc.EmbeddedDriver\n"
                + "database.url=jdbc:derby:" + database + ";create=true\n"
                + "database.username=app\n"
                + "database.password=app\n",
            "domainlist.xml", conf -> JamesNode.edit(conf,
                "<autodetectIP>false</autodetectIP>", "<autodetectIP>false</autodetectIP>\n"
                    + "    <domainnames>" + domainNames + "</domainnames>"),
            "mailetcontainer.xml", conf -> JamesNode.edit(conf,
                "<delayTime>1 minute, 5 minutes, 30 minutes, 2 hours, 6 hours</delayTime>", "<delayTime>" + delayTime + "</delayTime>",
                "<maxRetries>5</maxRetries>", "<maxRetries>1000</maxRetries>" + moreMailetParameters));
    }

    private static JsonPath waitingMails(RequestSpecification webAdmin) {
        return JsonPath.from(webAdmin.get("/split-routing/queue/mails").then().statusCode(200).extract().asString());
    }

    @Test
    void mailWaitingForADownRelayShouldSurviveARestartAndGoToTheRelayTheDomainIsThenSwitchedTo() throws Exception {
        String downRelay = PARTNER_ADDRESS + ":" + SmtpSink.freePort(PARTNER_ADDRESS);
        JamesNode james = JamesNode.start("persistent-queue", persistentFlavour(), new PersistentMailQueueModule());
        Path work = james.workingDirectory();
        try {
            james.putDomainRouting("example.com", "{\"relays\":[\"" + downRelay + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}");
            SmtpSession.send(james.smtpPort(), "someone@external.org", "Subject: across a restart\r\n\r\nhello\r\n", "carol@example.com");
            JamesNode beforeRestart = james;
            AWAIT.untilAsserted(() -> assertThat(waitingMails(beforeRestart.webAdmin()).getList("retries", Integer.class))
                .singleElement().satisfies(retries -> assertThat(retries).isGreaterThanOrEqualTo(1)));
        } finally {
            james.close();
        }

        relay = SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(0).start();
        james = JamesNode.restart("persistent-queue", work, new PersistentMailQueueModule());
        try {
            // Listed at once: the engine read the queue when it started.
            assertThat(waitingMails(james.webAdmin()).getList("recipients.flatten()", String.class)).containsExactly("carol@example.com");

            james.putDomainRouting("example.com", "{\"relays\":[\"" + relay.relay() + "\"],\"forwardUnknown\":true}");

            AWAIT.untilAsserted(() -> assertThat(relay.received()).singleElement().satisfies(received -> {
                assertThat(received.recipients).containsExactly("carol@example.com");
                assertThat(received.content).contains("Subject: across a restart");
            }));
            JamesNode afterRestart = james;
            AWAIT.untilAsserted(() -> assertThat(waitingMails(afterRestart.webAdmin()).getList("name")).isEmpty());
        } finally {
            james.close();
        }
    }

    @Test
    void everyMailQueuedOrBeingDeliveredWhenJamesIsKilledShouldBeDeliveredAfterItsRestart() throws Exception {
        int mails = 40;
        // A slow partner and two connections to it: most mails still wait, two are in the middle of DATA, when James dies.
        relay = SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(0).takingPerMail(Duration.ofMillis(500)).start();
        JamesProcess james = startJpaLauncher("<maxConnectionsPerRelay>2</maxConnectionsPerRelay>");
        // 40 new recipients from one client: more than recipient verification lets it probe in a minute.
        james.webAdmin().body("{\"relays\":[\"" + relay.relay() + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}")
            .put("/domains/example.com/split-routing").then().statusCode(204);
        for (int i = 0; i < mails; i++) {
            SmtpSession.send(james.smtpPort(), "someone@external.org", "Subject: mail " + i + "\r\n\r\nnumber " + i + "\r\n",
                "user" + i + "@example.com");
        }
        AWAIT.until(() -> relay.received().size() >= 3);

        james.kill();
        int beforeCrash = relay.received().size();
        assertThat(beforeCrash).as("some mails were still to be delivered when James was killed").isLessThan(mails);

        james.startLauncher("--flavour", "jpa");

        AWAIT.untilAsserted(() -> assertThat(deliveredRecipients()).hasSize(mails));
        AWAIT.untilAsserted(() -> assertThat(waitingMails(james.webAdmin()).getList("name")).isEmpty());
        // A mail whose DATA was answered while James died is sent again: at most one per connection in use.
        assertThat(relay.received().size() - mails).isBetween(0, 2);
    }


    /**
     * Issue 25's recipe: mail for two split domains, both relays down, waits over a stop; one relay is back, and the
     * other recipient's route is gone (gone.test was a domain of the memory domain list, forgotten at the restart): at
     * the start, the mail's first recipient goes to its relay and the other back to James's processing. Each mail
     * reaches the relay once: delivery starts once James has started, and a recipient delivered stays delivered
     * whatever fails after in the attempt.
     */
    @Test
    void mailDueWhileJamesStartsShouldReachEachRecipientOnce() throws Exception {
        int mails = 20;
        int erinsPort = SmtpSink.freePort(PARTNER_ADDRESS);
        String goneRelay = PARTNER_ADDRESS + ":" + SmtpSink.freePort(PARTNER_ADDRESS);
        Map<String, UnaryOperator<String>> flavour = persistentFlavour("2 seconds", "", "example.com", "fwd.test");
        JamesNode james = JamesNode.start("start-up-due", flavour, new PersistentMailQueueModule());
        Path work = james.workingDirectory();
        try {
            james.data().addDomain("gone.test");
            james.putDomainRouting("fwd.test", "{\"relays\":[\"" + PARTNER_ADDRESS + ":" + erinsPort + "\"],\"forwardUnknown\":true,"
                + "\"verifyRecipients\":false}");
            james.putDomainRouting("gone.test", "{\"relays\":[\"" + goneRelay + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}");
            for (int i = 0; i < mails; i++) {
                SmtpSession.send(james.smtpPort(), "someone@external.org", "Subject: mail " + i + "\r\n\r\nnumber " + i + "\r\n",
                    "erin@fwd.test", "xavier@gone.test");
            }
            JamesNode beforeStop = james;
            AWAIT.untilAsserted(() -> assertThat(waitingMails(beforeStop.webAdmin()).getList("findAll { it.lastError != null }.recipients"))
                .hasSize(mails)
                .allSatisfy(recipients -> assertThat(recipients).asList().containsExactly("erin@fwd.test", "xavier@gone.test")));
        } finally {
            james.close();
        }

        relay = SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(erinsPort).start();
        james = JamesNode.restart("start-up-due", work, new PersistentMailQueueModule());
        try {
            AWAIT.untilAsserted(() -> assertThat(relay.received()).hasSize(mails));
            JamesNode restarted = james;
            AWAIT.untilAsserted(() -> assertThat(waitingMails(restarted.webAdmin()).getList("recipients.flatten()")).isEmpty());
            assertThat(relay.received()).allSatisfy(received -> assertThat(received.recipients).containsExactly("erin@fwd.test"));
            assertThat(relay.received().stream().map(received -> received.content.lines().filter(line -> line.startsWith("Subject:"))
                .findFirst().orElseThrow()).distinct()).hasSize(mails);
        } finally {
            james.close();
        }
    }

    /**
     * Retry now with hundreds of mails waiting an hour for a relay that is back, before and after a restart: every
     * waiting mail is made due, counted, and delivered; a mail queued right after is attempted at once.
     */
    @Test
    void retryNowShouldMakeHundredsOfWaitingMailsDueBeforeAndAfterARestart() throws Exception {
        int mails = 150;
        int relayPort = SmtpSink.freePort(PARTNER_ADDRESS);
        JamesNode james = JamesNode.start("retry-now-hundreds", persistentFlavour("1 hour", "", "example.com"), new PersistentMailQueueModule());
        Path work = james.workingDirectory();
        try {
            james.putDomainRouting("example.com", "{\"relays\":[\"" + PARTNER_ADDRESS + ":" + relayPort + "\"],\"forwardUnknown\":true,"
                + "\"verifyRecipients\":false}");
            sendWaiting(james, "before", mails);

            relay = SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(relayPort).start();
            assertThat(james.webAdmin().post("/split-routing/queue/retry").then().statusCode(200).extract().jsonPath().getInt("retried"))
                .isEqualTo(mails);
            AWAIT.untilAsserted(() -> assertThat(deliveredRecipients()).hasSize(mails));
            assertAttemptedAtOnce(james, "right-after-retry@example.com");

            relay.close();
            sendWaiting(james, "after", mails);
        } finally {
            james.close();
        }

        james = JamesNode.restart("retry-now-hundreds", work, new PersistentMailQueueModule());
        try {
            assertThat(waitingMails(james.webAdmin()).getList("name")).hasSize(mails);
            relay = SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(relayPort).start();

            assertThat(james.webAdmin().post("/split-routing/queue/retry").then().statusCode(200).extract().jsonPath().getInt("retried"))
                .isEqualTo(mails);

            AWAIT.untilAsserted(() -> assertThat(deliveredRecipients()).hasSize(mails));
            assertAttemptedAtOnce(james, "right-after-restart@example.com");
            JamesNode restarted = james;
            AWAIT.untilAsserted(() -> assertThat(waitingMails(restarted.webAdmin()).getList("name")).isEmpty());
        } finally {
            james.close();
        }
    }

    // Sent to a relay that is down: each waits an hour, its first attempt made.
    private void sendWaiting(JamesNode james, String prefix, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            SmtpSession.send(james.smtpPort(), "someone@external.org", "Subject: " + prefix + " " + i + "\r\n\r\nhello\r\n",
                prefix + i + "@example.com");
        }
        AWAIT.untilAsserted(() -> assertThat(waitingMails(james.webAdmin()).getList("findAll { it.lastError != null }")).hasSize(count));
    }

    private void assertAttemptedAtOnce(JamesNode james, String recipient) throws Exception {
        SmtpSession.send(james.smtpPort(), "someone@external.org", "Subject: just now\r\n\r\nhello\r\n", recipient);
        // Well before the hour a deferred mail waits: it was tried at once, and delivered.
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(relay.received())
            .anySatisfy(received -> assertThat(received.recipients).containsExactly(recipient)));
    }

    private List<String> deliveredRecipients() {
        return relay.received().stream()
            .flatMap(received -> received.recipients.stream())
            .distinct()
            .collect(Collectors.toList());
    }
}
