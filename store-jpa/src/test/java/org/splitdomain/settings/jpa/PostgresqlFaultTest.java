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
package org.splitdomain.settings.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.splitdomain.settings.CachedSplitRoutingStore;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.SettingsScaleBenchmark;
import org.splitdomain.settings.UserRouting;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

/** PostgreSQL stops in the middle of an import, then comes back: two James nodes, each with its own copy. */
class PostgresqlFaultTest {
    private static final Domain EXAMPLE_COM = Domain.of("example.com");
    private static final DomainRouting TO_PARTNER = DomainRouting.of(ImmutableList.of(RelayHost.parse("mx2.example.com")), true);
    private static final Username BOB = Username.of("bob@example.com");
    private static final Username ALICE = Username.of("alice@example.com");
    private static final Duration REFRESH = Duration.ofMillis(200);

    @RegisterExtension
    static PostgresqlCluster postgresql = new PostgresqlCluster();

    private PostgresqlCluster.Database database;
    private CachedSplitRoutingStore nodeA;
    private CachedSplitRoutingStore nodeB;

    @BeforeEach
    void startNodes() {
        database = postgresql.createDatabase();
        nodeA = new CachedSplitRoutingStore(JpaSplitRoutingStore.open(database.configuration()), REFRESH);
        nodeB = new CachedSplitRoutingStore(JpaSplitRoutingStore.open(database.configuration()), REFRESH);
    }

    @AfterEach
    void stopNodes() {
        nodeA.close();
        nodeB.close();
        database.drop();
    }

    @Test
    void anImportCutShortByTheDatabaseShouldFailShowNothingAndLeaveRoutingOnTheLastCopy() throws Exception {
        nodeA.storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
        nodeA.storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> nodeB.userRouting(BOB).isPresent());
        Map<Username, UserRouting> imported = SettingsScaleBenchmark.thirdPartyUsers(300_000);

        CompletableFuture<Void> importing = CompletableFuture.runAsync(() -> nodeA.storeAll(ImmutableMap.of(), imported));
        // Stopped while the import inserts its rows, in its one transaction.
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(this::anInsertIsRunning);
        postgresql.stopServer();
        try {
            assertThat(importing).failsWithin(Duration.ofSeconds(60))
                .withThrowableOfType(ExecutionException.class)
                .withMessageContaining("Could not store split-routing settings of 0 domains and 300000 users");
            for (CachedSplitRoutingStore node : ImmutableList.of(nodeA, nodeB)) {
                assertThat(node.userRouting(BOB)).contains(UserRouting.thirdPartyForAllAddresses());
                assertThat(node.domainRouting(EXAMPLE_COM)).contains(TO_PARTNER);
                assertThat(node.listUserRoutings()).hasSize(1);
            }
        } finally {
            postgresql.startServer();
        }

        // Back: the next write works, and both nodes converge on it; nothing of the import is anywhere.
        nodeA.storeUserRouting(ALICE, UserRouting.internal());
        for (CachedSplitRoutingStore node : ImmutableList.of(nodeA, nodeB)) {
            Awaitility.await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(node.listUserRoutings()).containsOnlyKeys(BOB, ALICE));
        }
        try (JpaSplitRoutingStore fresh = JpaSplitRoutingStore.open(database.configuration())) {
            assertThat(fresh.listUserRoutings()).containsOnlyKeys(BOB, ALICE);
        }
    }

    private boolean anInsertIsRunning() throws Exception {
        try (Connection connection = database.connect();
             PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'INSERT INTO SPLIT_DOMAIN_USER_ROUTING%'");
             ResultSet result = query.executeQuery()) {
            result.next();
            return result.getLong(1) > 0;
        }
    }
}
