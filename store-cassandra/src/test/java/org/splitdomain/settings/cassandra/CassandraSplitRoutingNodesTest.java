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

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.splitdomain.guice.CassandraSplitRoutingModule;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.MultiNodeStoreContract;
import org.splitdomain.settings.SharedSplitRoutingStore;
import org.splitdomain.settings.UserRouting;
import org.splitdomain.settings.cassandra.CassandraSplitRoutingTables.Commits;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.google.common.io.Closer;
import com.google.inject.Guice;

/**
 * James nodes of a distributed deployment on one keyspace, each with its own session and the store that
 * {@link CassandraSplitRoutingModule} builds there. Every test ends with its writes applied to the settings tables:
 * those alone then hold what the nodes read, pending writes laid over them.
 */
class CassandraSplitRoutingNodesTest implements MultiNodeStoreContract {
    private static final Duration APPLIED_WITHIN = Duration.ofSeconds(60);

    @RegisterExtension
    static CassandraExtension cassandra = new CassandraExtension();

    private final Closer nodes = Closer.create();

    @BeforeAll
    static void createTables() {
        CassandraSplitRoutingTables.createMissingTables(cassandra.session());
    }

    // Before the nodes start, so that they never hold settings of an earlier test.
    @BeforeEach
    void clearTables() {
        cassandra.clearTables(CassandraSplitRoutingTables.MODULE);
    }

    @AfterEach
    void applyEveryWriteThenStopTheNodes() throws IOException {
        try {
            everyWriteShouldEndUpInTheSettingsTablesWithoutMovingTheGenerationAgain();
        } finally {
            nodes.close();
        }
    }

    // A node that takes pending writes over at once: also those of a node a test stopped before it applied them.
    private void everyWriteShouldEndUpInTheSettingsTablesWithoutMovingTheGenerationAgain() {
        CassandraSplitRoutingStore node = new CassandraSplitRoutingStore(cassandra.session(), DefaultConsistencyLevel.QUORUM, Duration.ZERO);
        nodes.register(node::close);
        Map<Username, UserRouting> users = node.listUserRoutings();
        Map<Domain, DomainRouting> domains = node.listDomainRoutings();
        long generation = node.generation();

        // As at each refresh: the generation read applies what is pending.
        Awaitility.await().atMost(APPLIED_WITHIN).until(() -> node.generation() == generation && node.pendingWrites().isEmpty());

        assertThat(rowsOf(CassandraSplitRoutingTables.Users.TABLE_NAME)).isEqualTo(users.size());
        assertThat(rowsOf(CassandraSplitRoutingTables.Domains.TABLE_NAME)).isEqualTo(domains.size());
        assertThat(node.listUserRoutings()).isEqualTo(users);
        assertThat(node.listDomainRoutings()).isEqualTo(domains);
        assertThat(node.generation()).isEqualTo(generation);
    }

    private static long rowsOf(String table) {
        return cassandra.session().execute("SELECT COUNT(*) FROM " + table).one().getLong(0);
    }

    @Override
    public SharedSplitRoutingStore openNode() {
        CqlSession session = cassandra.server().session(cassandra.keyspace());
        nodes.register(session::close);
        CassandraSplitRoutingStore node = Guice.createInjector(binder -> binder.bind(CqlSession.class).toInstance(session))
            .createChildInjector(new CassandraSplitRoutingModule())
            .getInstance(CassandraSplitRoutingStore.class);
        nodes.register(node::close);
        return node;
    }

    /**
     * Drops the column of the commit time, which only the commit writes (and readers of pending writes read): a write
     * is staged, the counters are read, and the lightweight transaction that would commit it is refused. Done once no
     * write is pending, whose commit row still needs it.
     */
    @Override
    public AutoCloseable refuseCommits() {
        CassandraSplitRoutingStore reader = new CassandraSplitRoutingStore(cassandra.session());
        try {
            Awaitility.await().atMost(APPLIED_WITHIN).until(() -> reader.pendingWrites().isEmpty());
        } finally {
            reader.close();
        }
        cassandra.session().execute("ALTER TABLE " + Commits.TABLE_NAME + " DROP " + Commits.COMMITTED_MICROS.asCql(false));
        return () -> cassandra.session().execute("ALTER TABLE " + Commits.TABLE_NAME + " ADD " + Commits.COMMITTED_MICROS.asCql(false) + " bigint");
    }
}
