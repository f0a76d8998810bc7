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

import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.settings.cassandra.CassandraExtension;

import com.datastax.oss.driver.api.core.CqlSession;
import com.google.common.collect.ImmutableMap;
import com.google.inject.AbstractModule;
import com.google.inject.Module;
import org.splitdomain.testing.SmtpSink;

/**
 * Two James nodes whose split-routing settings live in one real Cassandra, as in the distributed
 * flavour: each node has its own Cassandra session, bound in James's own injector as the distributed
 * flavour does, and loads the store with {@code guice.extension.module=...CassandraSplitRoutingModule}.
 * Users and domains are per node here (memory flavour underneath), so both nodes are given the same.
 */
class CassandraNodesTest {
    private static final Logger LOGGER = LoggerFactory.getLogger(CassandraNodesTest.class);
    private static final Duration OTHER_NODE_DEADLINE = Duration.ofSeconds(10);
    private static final Map<String, UnaryOperator<String>> CASSANDRA_STORE = ImmutableMap.of("extensions.properties",
        conf -> JamesNode.edit(conf, "org.splitdomain.guice.MemorySplitRoutingModule", "org.splitdomain.guice.CassandraSplitRoutingModule"));

    @RegisterExtension
    CassandraExtension cassandra = new CassandraExtension();

    private SmtpSink relay;
    private JamesNode nodeA;
    private JamesNode nodeB;

    @BeforeEach
    void setUp() throws Exception {
        relay = SmtpSink.accepting(SmtpSink.freePort());
        // The first node creates the tables alone, as the module's documentation asks.
        nodeA = startNode("node-a");
        nodeB = startNode("node-b");
    }

    @AfterEach
    void tearDown() {
        for (AutoCloseable closeable : new AutoCloseable[] {nodeA, nodeB, relay}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                LOGGER.warn("Could not stop {}", closeable, e);
            }
        }
    }

    private Module cassandraSession() {
        CqlSession session = cassandra.newSession();
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(CqlSession.class).toInstance(session);
            }
        };
    }

    private JamesNode startNode(String name) throws Exception {
        JamesNode node = JamesNode.start(name, CASSANDRA_STORE, cassandraSession());
        provision(node);
        return node;
    }

    private static void provision(JamesNode node) throws Exception {
        node.data().addDomain("example.com");
        node.data().addUser("bob@example.com", PASSWORD);
    }

    private static String route(JamesNode node, String address) {
        return node.explainRoute(address).getString("decisions[0].route");
    }

    @Test
    void aChangeThroughOneNodeShouldRouteMailOnTheOtherWithinTenSeconds() throws Exception {
        nodeA.putDomainRouting("example.com", "{\"relays\":[\"127.0.0.1:" + relay.port() + "\"],\"forwardUnknown\":false}");
        long changed = System.nanoTime();
        nodeA.putUserRouting("bob@example.com", "{\"thirdParty\":true}");
        assertThat(route(nodeA, "bob@example.com")).isEqualTo("relay");

        Awaitility.await().atMost(OTHER_NODE_DEADLINE).pollInterval(Duration.ofMillis(50))
            .until(() -> route(nodeB, "bob@example.com").equals("relay"));
        LOGGER.info("Change made on node A routed by node B after {} ms", (System.nanoTime() - changed) / 1_000_000);

        SmtpSession.send(nodeB.smtpPort(), "sender@external.org", "Subject: via node B\r\n\r\nhello\r\n", "bob@example.com");
        Awaitility.await().atMost(Duration.ofSeconds(30))
            .until(() -> relay.received().stream().anyMatch(mail -> mail.content.contains("Subject: via node B")));
        assertThat(relay.received()).singleElement().satisfies(mail -> assertThat(mail.recipients).containsExactly("bob@example.com"));
    }

    @Test
    void aRemovalThroughTheOtherNodeShouldBringTheMailBackHere() throws Exception {
        nodeA.putDomainRouting("example.com", "{\"relays\":[\"127.0.0.1:" + relay.port() + "\"],\"forwardUnknown\":false}");
        nodeA.putUserRouting("bob@example.com", "{\"thirdParty\":true}");
        Awaitility.await().atMost(OTHER_NODE_DEADLINE).until(() -> route(nodeB, "bob@example.com").equals("relay"));

        nodeB.webAdmin().delete("/users/bob@example.com/split-routing").then().statusCode(204);

        Awaitility.await().atMost(OTHER_NODE_DEADLINE).until(() -> route(nodeA, "bob@example.com").equals("local"));
        SmtpSession.send(nodeA.smtpPort(), "sender@external.org", "Subject: back home\r\n\r\nhello\r\n", "bob@example.com");
        assertThat(awaitMessages(nodeA, "bob@example.com", 1)).contains("Subject: back home");
        assertThat(relay.received()).isEmpty();
    }

    @Test
    void settingsAndRoutingShouldSurviveARestartOfEveryNode() throws Exception {
        nodeA.putDomainRouting("example.com", "{\"relays\":[\"127.0.0.1:" + relay.port() + "\",\"127.0.0.1:2\"],\"forwardUnknown\":true}");
        nodeA.putUserRouting("bob@example.com", "{\"thirdParty\":true}");
        String before = nodeA.webAdmin().get("/split-routing/export").then().statusCode(200).extract().asString();

        nodeA.close();
        nodeB.close();
        nodeA = startNode("node-a-restarted");
        nodeB = null;

        assertThat(nodeA.webAdmin().get("/split-routing/export").then().statusCode(200).extract().asString()).isEqualTo(before);
        assertThat(route(nodeA, "bob@example.com")).isEqualTo("relay");
        assertThat(route(nodeA, "nobody@example.com")).isEqualTo("relay");
        SmtpSession.send(nodeA.smtpPort(), "sender@external.org", "Subject: after restart\r\n\r\nhello\r\n", "bob@example.com");
        Awaitility.await().atMost(Duration.ofSeconds(30))
            .until(() -> relay.received().stream().anyMatch(mail -> mail.content.contains("Subject: after restart")));
    }
}
