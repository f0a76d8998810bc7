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
package org.splitdomain.app.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.app.JamesNode;
import org.splitdomain.app.SmtpSession;
import org.splitdomain.settings.cassandra.CassandraExtension;
import org.splitdomain.testing.SmtpSink;

import io.restassured.path.json.JsonPath;

/**
 * Two James nodes of the distributed flavour on one RabbitMQ mail queue and one Cassandra (the queue's view, the
 * blobs, the waiting room, the settings): the relay engine keeps its own retry schedule although James's RabbitMQ
 * queue ignores delays, the two nodes share the work with each mail attempted by one node at a time, and what waits
 * is listed and retried whichever node tried it.
 */
class RelayClusterTest {
    private static final Logger LOGGER = LoggerFactory.getLogger(RelayClusterTest.class);
    private static final String PARTNER_ADDRESS = "127.0.0.2";
    private static final ConditionFactory AWAIT = Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200));
    private static final List<Duration> SCHEDULE = List.of(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
        Duration.ofSeconds(8), Duration.ofSeconds(8));

    @RegisterExtension
    CassandraExtension cassandra = new CassandraExtension();

    private String vhost;
    private JamesNode nodeA;
    private JamesNode nodeB;
    private SmtpSink partner;

    @BeforeEach
    void rabbitMQ() {
        Assumptions.assumeTrue(RabbitMQServer.isInstalled(), "Debian's rabbitmq-server is installed by .ci/run");
        vhost = RabbitMQServer.shared().newVirtualHost();
    }

    @AfterEach
    void tearDown() {
        for (AutoCloseable closeable : new AutoCloseable[] {nodeA, nodeB, partner}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                LOGGER.warn("Could not stop {}", closeable, e);
            }
        }
    }

    private JamesNode start(String name, String delayTime) throws Exception {
        UnaryOperator<String> mailetContainer = conf -> JamesNode.edit(conf,
            "<delayTime>1 minute, 5 minutes, 30 minutes, 2 hours, 6 hours</delayTime>", "<delayTime>" + delayTime + "</delayTime>");
        JamesNode node = JamesNode.start(name, DistributedFlavour.configuration(RabbitMQServer.shared(), vhost,
            "127.0.0.1:" + cassandra.server().nativePort(), cassandra.keyspace(), mailetContainer), DistributedFlavour.modules());
        node.data().addDomain("cluster.example");
        return node;
    }

    private void startNodes(String delayTime) throws Exception {
        nodeA = start("cluster-a", delayTime);
        nodeB = start("cluster-b", delayTime);
    }

    // Written through node A; node B routes from its copy of the Cassandra settings, refreshed within seconds.
    private void route(String relay) {
        nodeA.putDomainRouting("cluster.example", "{\"relays\":[\"" + relay + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}");
        AWAIT.untilAsserted(() -> assertThat(nodeB.explainRoute("anyone@cluster.example").getString("decisions[0].route")).isEqualTo("relay"));
    }

    private static void send(JamesNode node, String recipient) throws Exception {
        SmtpSession.send(node.smtpPort(), "someone@external.org", "Subject: for " + recipient + "\r\n\r\nhello\r\n", recipient);
    }

    private static JsonPath waiting(JamesNode node) {
        return node.waitingMails();
    }

    @Test
    void theRetryScheduleShouldHoldOnRabbitMQAndEachMailBeDeliveredOnceWhenTheRelayReturns() throws Exception {
        AtomicBoolean relayDown = new AtomicBoolean(true);
        partner = SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(0)
            .refusingEveryRecipientWhile(relayDown::get, 451, "4.3.0 try again later")
            .start();
        startNodes("2 seconds, 4 seconds, 8 seconds");
        route(partner.relay());
        List<String> recipients = IntStream.range(0, 10).mapToObj(i -> "user" + i + "@cluster.example").toList();
        for (int i = 0; i < recipients.size(); i++) {
            send(i % 2 == 0 ? nodeA : nodeB, recipients.get(i));
        }

        // Four attempts refused (the first one and three retries: 14 seconds), then the relay is back for the fifth.
        AWAIT.untilAsserted(() -> assertThat(recipients).allSatisfy(recipient -> assertThat(partner.rcptTimes(recipient)).hasSizeGreaterThanOrEqualTo(4)));
        relayDown.set(false);

        AWAIT.untilAsserted(() -> assertThat(partner.received()).hasSize(recipients.size()));
        AWAIT.untilAsserted(() -> {
            assertThat(waiting(nodeA).getList("name")).isEmpty();
            assertThat(waiting(nodeB).getList("name")).isEmpty();
        });
        assertThat(partner.received().stream().flatMap(received -> received.recipients.stream()))
            .containsExactlyInAnyOrderElementsOf(recipients);
        // The engine counts the same attempts, both nodes together: four deferred and one delivered per recipient.
        assertThat(recipientsCounted(partner.relay(), "deferred")).isEqualTo(4 * recipients.size());
        assertThat(recipientsCounted(partner.relay(), "delivered")).isEqualTo(recipients.size());
        for (String recipient : recipients) {
            List<Instant> attempts = partner.rcptTimes(recipient);
            // Each attempt once, by one node: none earlier than its delay after the one before.
            assertThat(attempts).as("attempts of %s", recipient).hasSize(5);
            for (int retry = 1; retry < attempts.size(); retry++) {
                assertThat(Duration.between(attempts.get(retry - 1), attempts.get(retry)))
                    .as("wait before retry %d of %s", retry, recipient)
                    .isGreaterThanOrEqualTo(SCHEDULE.get(retry - 1));
            }
        }
    }

    // split_domain_relay_recipients_total of the relay and outcome, as each node's Prometheus scrape gives it, summed.
    private long recipientsCounted(String relay, String outcome) {
        java.util.regex.Pattern sample = java.util.regex.Pattern.compile("(?m)^split_domain_relay_recipients_total\\{relay=\""
            + java.util.regex.Pattern.quote(relay) + "\",outcome=\"" + outcome + "\",\\} ([0-9.]+)$");
        long total = 0;
        for (JamesNode node : List.of(nodeA, nodeB)) {
            java.util.regex.Matcher matcher = sample.matcher(node.webAdmin().get("/split-routing/metrics").then().statusCode(200).extract().asString());
            if (matcher.find()) {
                total += (long) Double.parseDouble(matcher.group(1));
            }
        }
        return total;
    }

    @Test
    void waitingMailShouldBeListedAndRetriedFromEitherNodeBeforeAndAfterARestartAndDeliveredAtOnce() throws Exception {
        int mails = 100;
        int relayPort = SmtpSink.freePort(PARTNER_ADDRESS);
        String relay = PARTNER_ADDRESS + ":" + relayPort;
        startNodes("1 hour");
        route(relay);
        sendWaiting("before", mails, relay);

        partner = SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(relayPort).start();
        assertThat(nodeB.webAdmin().post("/split-routing/queue/retry").then().statusCode(200).extract().jsonPath().getInt("retried"))
            .isEqualTo(mails);
        AWAIT.untilAsserted(() -> assertThat(partner.received()).hasSize(mails));
        assertAttemptedAtOnce(nodeA, "right-after-retry@cluster.example");
        partner.close();
        partner = null;

        sendWaiting("after", mails, relay);
        nodeA.close();
        nodeB.close();
        nodeA = null;
        nodeB = null;
        startNodes("1 hour");
        assertThat(waiting(nodeB).getList("findAll { it.lastError != null }")).hasSize(mails);
        partner = SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(relayPort).start();

        assertThat(nodeA.webAdmin().post("/split-routing/queue/retry").then().statusCode(200).extract().jsonPath().getInt("retried"))
            .isEqualTo(mails);

        AWAIT.untilAsserted(() -> assertThat(partner.received()).hasSize(mails));
        assertAttemptedAtOnce(nodeB, "right-after-restart@cluster.example");
        AWAIT.untilAsserted(() -> assertThat(waiting(nodeA).getList("name")).isEmpty());
        assertThat(partner.received().stream().flatMap(received -> received.recipients.stream()).distinct()).hasSize(mails + 1);
    }

    // Sent through both nodes to a relay that is down: each waits an hour, its first attempt made, and either node lists
    // every one, whichever node tried it, in the listing and in the metrics.
    private void sendWaiting(String prefix, int mails, String relay) throws Exception {
        SmtpSession.sendInParallel(mails, i -> i % 2 == 0 ? nodeA.smtpPort() : nodeB.smtpPort(), i -> prefix + i + "@cluster.example");
        AWAIT.untilAsserted(() -> {
            assertThat(waiting(nodeA).getList("findAll { it.lastError != null }")).hasSize(mails);
            assertThat(waiting(nodeB).getList("findAll { it.lastError != null }")).hasSize(mails);
        });
        assertThat(waiting(nodeB).getList("nextAttempt", String.class))
            .allSatisfy(next -> assertThat(Instant.parse(next)).isAfter(Instant.now().plus(Duration.ofMinutes(50))));
        assertThat(nodeA.webAdmin().get("/split-routing/metrics").then().statusCode(200).extract().asString())
            .contains("split_domain_relay_queue_mails{queue=\"split-domain-relay\",relay=\"" + relay + "\",} " + mails + ".0");
    }

    private void assertAttemptedAtOnce(JamesNode node, String recipient) throws Exception {
        send(node, recipient);
        // Well before the hour a deferred mail waits: tried at once, and delivered.
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(partner.received())
            .anySatisfy(received -> assertThat(received.recipients).containsExactly(recipient)));
    }
}
