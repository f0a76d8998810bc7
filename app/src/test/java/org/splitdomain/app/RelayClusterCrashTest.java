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

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.splitdomain.app.distributed.DistributedFlavour;
import org.splitdomain.app.distributed.DistributedJamesMain;
import org.splitdomain.app.distributed.RabbitMQServer;
import org.splitdomain.settings.cassandra.CassandraExtension;
import org.splitdomain.testing.SmtpSink;

/**
 * Two nodes of the distributed flavour on one RabbitMQ relay queue; one of them, in a JVM of its own, is killed
 * ({@code kill -9}) while it delivers: RabbitMQ hands its unacknowledged mail to the other node, which delivers the
 * rest. None is lost; a mail is sent twice only when the node died in the middle of its transaction with the relay.
 */
class RelayClusterCrashTest {
    private static final int MAILS = 200;
    private static final int CONNECTIONS_PER_NODE = 2;
    private static final ConditionFactory AWAIT = Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200));

    @RegisterExtension
    CassandraExtension cassandra = new CassandraExtension();

    @Test
    void theOtherNodeShouldDeliverWhatAKilledNodeLeftAndNoneBeLost() throws Exception {
        Assumptions.assumeTrue(RabbitMQServer.isInstalled(), "Debian's rabbitmq-server is installed by .ci/run");
        RabbitMQServer rabbitMQ = RabbitMQServer.shared();
        String vhost = rabbitMQ.newVirtualHost();
        UnaryOperator<String> mailetContainer = conf -> JamesNode.edit(conf,
            "<maxRetries>5</maxRetries>", "<maxRetries>5</maxRetries>\n                <maxConnectionsPerRelay>" + CONNECTIONS_PER_NODE
                + "</maxConnectionsPerRelay>");
        Map<String, UnaryOperator<String>> flavour = DistributedFlavour.configuration(rabbitMQ, vhost,
            "127.0.0.1:" + cassandra.server().nativePort(), cassandra.keyspace(), mailetContainer);
        // A partner that holds every transaction at the end of DATA until the test lets them go: both nodes are in the
        // middle of transactions, with the rest of the mail in RabbitMQ, when one of them dies.
        AtomicBoolean holding = new AtomicBoolean(true);
        try (SmtpSink partner = SmtpSink.builder().bindAddress("127.0.0.2").port(0).holdingDataWhile(holding::get).start();
             JamesNode survivor = JamesNode.start("crash-survivor", flavour, DistributedFlavour.modules());
             JamesProcess victim = JamesProcess.prepare("crash-victim", flavour).startMain(DistributedJamesMain.class)) {
            survivor.data().addDomain("cluster.example");
            victim.webAdmin().put("/domains/cluster.example").then().statusCode(204);
            survivor.putDomainRouting("cluster.example", "{\"relays\":[\"" + partner.relay() + "\"],\"forwardUnknown\":true,"
                + "\"verifyRecipients\":false}");
            // The other node routes from its copy of the Cassandra settings, refreshed within seconds.
            AWAIT.untilAsserted(() -> assertThat(victim.webAdmin().get("/split-routing/route?address=anyone@cluster.example").then()
                .statusCode(200).extract().jsonPath().getString("decisions[0].route")).isEqualTo("relay"));

            SmtpSession.sendInParallel(MAILS, i -> i % 2 == 0 ? victim.smtpPort() : survivor.smtpPort(), i -> "user" + i + "@cluster.example");
            // Every mail has left the spool for the relay queue; each node's connections are held in DATA.
            AWAIT.untilAsserted(() -> assertThat(survivor.webAdmin().get("/mailQueues/spool").then().statusCode(200).extract().jsonPath()
                .getLong("size")).isZero());
            AWAIT.untilAsserted(() -> assertThat(partner.received()).hasSize(2 * CONNECTIONS_PER_NODE));

            victim.kill();
            holding.set(false);

            AWAIT.untilAsserted(() -> assertThat(deliveredRecipients(partner)).hasSize(MAILS));
            survivor.awaitIdle();
            // Only a transaction cut in DATA is sent twice: at most one per connection the killed node had open.
            assertThat(partner.received().size() - MAILS).isBetween(0, CONNECTIONS_PER_NODE);
        }
    }

    private static List<String> deliveredRecipients(SmtpSink partner) {
        return partner.received().stream().flatMap(received -> received.recipients.stream()).distinct().collect(Collectors.toList());
    }
}
