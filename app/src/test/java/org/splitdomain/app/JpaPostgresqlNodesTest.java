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
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.splitdomain.settings.jpa.PostgresqlCluster;

import com.google.common.collect.ImmutableMap;

/**
 * Two James nodes with the JPA settings store on one PostgreSQL, as the JPA flavour runs a cluster: a change made on
 * one node routes mail on the other within 2 s, and a node that stops leaves no connection of its pool behind.
 */
class JpaPostgresqlNodesTest {
    @RegisterExtension
    static PostgresqlCluster postgresql = new PostgresqlCluster();

    private PostgresqlCluster.Database database;
    private JamesNode first;
    private JamesNode second;

    private Map<String, UnaryOperator<String>> jpaStoreAs(String applicationName) {
        return ImmutableMap.of(
            "extensions.properties", conf -> JamesNode.edit(conf, "org.splitdomain.guice.MemorySplitRoutingModule",
                "org.splitdomain.guice.JpaSplitRoutingModule"),
            "james-database.properties", conf -> database.jamesDatabaseProperties(applicationName));
    }

    @BeforeEach
    void startNodes() throws Exception {
        database = postgresql.createDatabase();
        first = JamesNode.start("jpa-first", jpaStoreAs("james-first"));
        second = JamesNode.start("jpa-second", jpaStoreAs("james-second"));
        for (JamesNode node : new JamesNode[] {first, second}) {
            node.data().addDomain("example.com");
            node.data().addUser("bob@example.com", Mailboxes.PASSWORD);
        }
    }

    @AfterEach
    void stopNodes() {
        for (JamesNode node : new JamesNode[] {first, second}) {
            if (node != null) {
                node.close();
            }
        }
        database.drop();
    }

    @Test
    void aChangeOnOneNodeShouldRouteMailOnTheOtherWithinTwoSeconds() {
        first.putDomainRouting("example.com", "{\"relays\":[\"127.0.0.2:2525\"]}");
        first.putUserRouting("bob@example.com", "{\"thirdParty\":true}");

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
            assertThat(second.explainRoute("bob@example.com").getString("decisions[0].rule")).isEqualTo("third-party"));

        first.putUserRouting("bob@example.com", "{\"thirdParty\":false}");

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
            assertThat(second.explainRoute("bob@example.com").getString("decisions[0].rule")).isEqualTo("local-user"));
    }

    @Test
    void aDatabaseThatIsDownShouldRefuseWritesWhileRoutingGoesOnAndEveryNodeShouldConvergeOnceItIsBack() {
        first.putDomainRouting("example.com", "{\"relays\":[\"127.0.0.2:2525\"]}");
        first.putUserRouting("bob@example.com", "{\"thirdParty\":true}");
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
            assertThat(second.explainRoute("bob@example.com").getString("decisions[0].rule")).isEqualTo("third-party"));

        postgresql.stopServer();
        try {
            first.webAdmin().body("{\"thirdParty\":false}").put("/users/bob@example.com/split-routing")
                .then().statusCode(500);
            first.webAdmin().body("{\"domains\":[],\"users\":[{\"username\":\"bob@example.com\",\"thirdParty\":false}]}")
                .post("/split-routing/import").then().statusCode(500);

            // Both nodes route from their copy: nothing of the refused writes shows, on the node that took them either.
            for (JamesNode node : new JamesNode[] {first, second}) {
                assertThat(node.explainRoute("bob@example.com").getString("decisions[0].rule")).as(node.name()).isEqualTo("third-party");
            }
        } finally {
            postgresql.startServer();
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            first.webAdmin().body("{\"thirdParty\":false}").put("/users/bob@example.com/split-routing").then().statusCode(204));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
            assertThat(second.explainRoute("bob@example.com").getString("decisions[0].rule")).isEqualTo("local-user"));
        assertThat(first.explainRoute("bob@example.com").getString("decisions[0].rule")).isEqualTo("local-user");
    }

    @Test
    void aNodeThatStopsShouldCloseItsConnectionPool() throws Exception {
        first.putDomainRouting("example.com", "{\"relays\":[\"127.0.0.2:2525\"]}");
        assertThat(database.connectionsOf("james-first")).as("connections the running node keeps open").isPositive();

        first.close();
        first = null;

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(database.connectionsOf("james-first")).isZero());
        assertThat(database.connectionsOf("james-second")).as("the other node goes on").isPositive();
    }
}
