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
package org.splitdomain.settings.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

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

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

/**
 * Cassandra stops answering in the middle of an import (frozen with SIGSTOP, connections held), then comes back: two
 * James nodes, each with its own session and copy, as in a distributed deployment.
 */
class CassandraFaultTest {
    private static final Domain EXAMPLE_COM = Domain.of("example.com");
    private static final DomainRouting TO_PARTNER = DomainRouting.of(ImmutableList.of(RelayHost.parse("mx2.example.com")), true);
    private static final Username BOB = Username.of("bob@example.com");
    private static final Username ALICE = Username.of("alice@example.com");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration REFRESH = Duration.ofMillis(200);

    @RegisterExtension
    CassandraExtension cassandra = new CassandraExtension();

    private CqlSession sessionOfA;
    private CqlSession sessionOfB;
    private CachedSplitRoutingStore nodeA;
    private CachedSplitRoutingStore nodeB;

    @BeforeEach
    void startNodes() {
        CassandraSplitRoutingTables.createMissingTables(cassandra.session());
        sessionOfA = cassandra.server().session(cassandra.keyspace(), REQUEST_TIMEOUT);
        sessionOfB = cassandra.server().session(cassandra.keyspace(), REQUEST_TIMEOUT);
        nodeA = new CachedSplitRoutingStore(new CassandraSplitRoutingStore(sessionOfA, DefaultConsistencyLevel.QUORUM), REFRESH);
        nodeB = new CachedSplitRoutingStore(new CassandraSplitRoutingStore(sessionOfB, DefaultConsistencyLevel.QUORUM), REFRESH);
    }

    @AfterEach
    void stopNodes() {
        nodeA.close();
        nodeB.close();
        sessionOfA.close();
        sessionOfB.close();
    }

    @Test
    void anImportCutShortByTheDatabaseShouldFailShowNothingAndLeaveRoutingOnTheLastCopy() throws Exception {
        nodeA.storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
        nodeA.storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> nodeB.userRouting(BOB).isPresent());
        Map<Username, UserRouting> imported = SettingsScaleBenchmark.thirdPartyUsers(200_000);

        CompletableFuture<Void> importing = CompletableFuture.runAsync(() -> nodeA.storeAll(ImmutableMap.of(), imported));
        try {
            // Stopped once the import has staged its first chunk, long before it could commit.
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                .until(() -> cassandra.session().execute("SELECT chunk FROM " + CassandraSplitRoutingTables.StagedWriteChunks.TABLE_NAME + " LIMIT 1").one() != null);
            cassandra.server().pause();

            assertThat(importing).failsWithin(Duration.ofSeconds(60))
                .withThrowableOfType(ExecutionException.class)
                .withMessageContaining("timed out");
            for (CachedSplitRoutingStore node : ImmutableList.of(nodeA, nodeB)) {
                assertThat(node.userRouting(BOB)).contains(UserRouting.thirdPartyForAllAddresses());
                assertThat(node.domainRouting(EXAMPLE_COM)).contains(TO_PARTNER);
                assertThat(node.userRouting(Username.of("user1@example.com"))).isEmpty();
                assertThat(node.listUserRoutings()).hasSize(1);
            }
        } finally {
            cassandra.server().resume();
        }

        // Back: the next write works (once the driver has its connections again), and both nodes converge on it.
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
            .until(() -> {
                nodeA.storeUserRouting(ALICE, UserRouting.internal());
                return true;
            });
        for (CachedSplitRoutingStore node : ImmutableList.of(nodeA, nodeB)) {
            Awaitility.await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(node.listUserRoutings()).containsOnlyKeys(BOB, ALICE));
        }
        assertThat(new CassandraSplitRoutingStore(cassandra.session()).listUserRoutings()).containsOnlyKeys(BOB, ALICE);
        assertThat(importing.isCompletedExceptionally()).isTrue();
    }
}
