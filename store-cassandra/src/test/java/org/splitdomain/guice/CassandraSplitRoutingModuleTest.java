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
package org.splitdomain.guice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.james.backends.cassandra.init.configuration.CassandraConfiguration;
import org.apache.james.core.Domain;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.splitdomain.relay.WakeClaims;
import org.splitdomain.relay.cassandra.CassandraWakeClaims;
import org.splitdomain.settings.CachedSplitRoutingStore;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.SharedSplitRoutingStore;
import org.splitdomain.settings.SplitRoutingStore;
import org.splitdomain.settings.cassandra.CassandraExtension;
import org.splitdomain.settings.cassandra.CassandraSplitRoutingStore;
import org.splitdomain.settings.cassandra.CassandraSplitRoutingTables;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;

import com.google.common.collect.ImmutableList;
import com.google.inject.Guice;
import com.google.inject.Injector;

class CassandraSplitRoutingModuleTest {
    private static final Domain EXAMPLE_COM = Domain.of("example.com");
    private static final DomainRouting TO_PARTNER = DomainRouting.of(ImmutableList.of(RelayHost.parse("mx2.example.com")), true);
    private static final List<String> TABLES = ImmutableList.of(
        CassandraSplitRoutingTables.Domains.TABLE_NAME,
        CassandraSplitRoutingTables.Users.TABLE_NAME,
        CassandraSplitRoutingTables.Commits.TABLE_NAME);

    // An instance field: every test starts on a new, empty keyspace.
    @RegisterExtension
    CassandraExtension cassandra = new CassandraExtension();

    private final List<CachedSplitRoutingStore> started = new ArrayList<>();

    @AfterEach
    void stopNodes() {
        started.forEach(CachedSplitRoutingStore::close);
    }

    // As James does: extension modules go in a child injector of the one that binds the CqlSession.
    private Injector startNode(CqlSession session) {
        Injector james = Guice.createInjector(binder -> binder.bind(CqlSession.class).toInstance(session));
        Injector extension = james.createChildInjector(new CassandraSplitRoutingModule());
        started.add(extension.getInstance(CachedSplitRoutingStore.class));
        return extension;
    }

    @Test
    void moduleShouldCreateTablesInAnEmptyKeyspace() {
        assertThat(tablesOf(cassandra.session())).doesNotContainAnyElementsOf(TABLES);

        startNode(cassandra.session());

        assertThat(tablesOf(cassandra.newSession())).containsAll(TABLES);
    }

    /** The relay engine's waiting room is shared by the nodes: so are the claims that keep one of them waking each mail. */
    @Test
    void wakeClaimsShouldBeSharedByTheNodes() {
        WakeClaims nodeA = startNode(cassandra.session()).getInstance(WakeClaims.class);
        WakeClaims nodeB = startNode(cassandra.newSession()).getInstance(WakeClaims.class);

        assertThat(nodeA).isInstanceOf(CassandraWakeClaims.class);
        assertThat(nodeA.claim("stay1", Duration.ofMinutes(10))).isTrue();
        assertThat(nodeB.claim("stay1", Duration.ofMinutes(10))).isFalse();
        assertThat(nodeA.claim("stay1", Duration.ofMinutes(10))).isFalse();
        assertThat(nodeB.claim("stay2", Duration.ofMinutes(10))).isTrue();
    }

    @Test
    void aClaimShouldLapseAfterItsHold() {
        WakeClaims claims = startNode(cassandra.session()).getInstance(WakeClaims.class);
        claims.claim("stay1", Duration.ofSeconds(1));

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> claims.claim("stay1", Duration.ofSeconds(1)));
    }

    @Test
    void moduleShouldBindRoutingToTheCopyOfTheCassandraStore() {
        Injector node = startNode(cassandra.session());

        assertThat(node.getInstance(SharedSplitRoutingStore.class)).isInstanceOf(CassandraSplitRoutingStore.class);
        assertThat(node.getInstance(SplitRoutingStore.class)).isInstanceOf(CachedSplitRoutingStore.class);
    }

    @Test
    void moduleShouldStartAgainOnExistingTablesAndFindTheSettings() {
        startNode(cassandra.session()).getInstance(SplitRoutingStore.class).storeDomainRouting(EXAMPLE_COM, TO_PARTNER);

        Injector restarted = startNode(cassandra.newSession());

        assertThat(restarted.getInstance(SplitRoutingStore.class).domainRouting(EXAMPLE_COM)).contains(TO_PARTNER);
    }

    @Test
    void moduleShouldCreateTheTablesThatAreMissing() {
        startNode(cassandra.session());
        cassandra.session().execute("DROP TABLE " + CassandraSplitRoutingTables.Users.TABLE_NAME);

        startNode(cassandra.newSession());

        assertThat(tablesOf(cassandra.newSession())).containsAll(TABLES);
    }

    private List<String> tablesOf(CqlSession session) {
        return session.execute("SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", cassandra.keyspace())
            .all().stream()
            .map(row -> row.getString("table_name"))
            .collect(ImmutableList.toImmutableList());
    }

    @Test
    void readsAndWritesShouldRunAtJamesRegularConsistencyLevelElseQuorum() {
        Injector distributedJames = Guice.createInjector(binder -> binder.bind(CassandraConfiguration.class)
            .toInstance(CassandraConfiguration.builder().consistencyLevelRegular("LOCAL_QUORUM").build()));

        assertThat(CassandraSplitRoutingModule.consistencyLevel(distributedJames)).isEqualTo(DefaultConsistencyLevel.LOCAL_QUORUM);
        assertThat(CassandraSplitRoutingModule.consistencyLevel(Guice.createInjector())).isEqualTo(DefaultConsistencyLevel.QUORUM);
    }
}
