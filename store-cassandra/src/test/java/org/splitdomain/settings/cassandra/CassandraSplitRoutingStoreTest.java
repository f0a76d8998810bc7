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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.assertj.core.api.Assertions.entry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.MultiNodeStoreContract;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.SharedSplitRoutingStore;
import org.splitdomain.settings.SharedSplitRoutingStoreContract;
import org.splitdomain.settings.history.SettingsHistory;
import org.splitdomain.settings.history.SettingsHistoryContract;
import org.splitdomain.settings.UserRouting;
import org.splitdomain.settings.cassandra.CassandraSplitRoutingTables.Domains;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

class CassandraSplitRoutingStoreTest implements SharedSplitRoutingStoreContract, SettingsHistoryContract {
    @RegisterExtension
    static CassandraExtension cassandra = new CassandraExtension();

    private CassandraSplitRoutingStore store;

    @BeforeAll
    static void createTables() {
        CassandraSplitRoutingTables.createMissingTables(cassandra.session());
    }

    private final List<CassandraSplitRoutingStore> nodes = new ArrayList<>();

    @BeforeEach
    void setUp() {
        cassandra.clearTables(CassandraSplitRoutingTables.MODULE);
        store = node(CassandraSplitRoutingStore.PENDING_WRITE_TAKEOVER);
    }

    // Imports are applied in the background: a test ends once they are, so that nothing of it lands in the next one.
    @AfterEach
    void stopNodes() {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> store.pendingWrites().isEmpty());
        nodes.forEach(CassandraSplitRoutingStore::close);
    }

    private CassandraSplitRoutingStore node(Duration pendingImportTakeover) {
        CassandraSplitRoutingStore node = new CassandraSplitRoutingStore(cassandra.session(), DefaultConsistencyLevel.QUORUM, pendingImportTakeover);
        nodes.add(node);
        return node;
    }

    private long rowsOf(String table) {
        return cassandra.session().execute("SELECT COUNT(*) FROM " + table).one().getLong(0);
    }

    @Test
    void pendingWritesShouldBeSeenInCommitOrderBeforeAndAfterTheyAreApplied() throws Exception {
        CassandraSplitRoutingStore stoppedWriter = node(CassandraSplitRoutingStore.PENDING_WRITE_TAKEOVER);
        stoppedWriter.close();
        Username user0 = Username.of("user0@example.com");
        Username user1 = Username.of("user1@example.com");
        Username user2 = Username.of("user2@example.com");
        stoppedWriter.storeUserRouting(user1, UserRouting.internal());
        stoppedWriter.storeAll(ImmutableMap.of(), MultiNodeStoreContract.usersOfEveryKind(3));
        stoppedWriter.storeUserRouting(user0, UserRouting.internal());
        stoppedWriter.deleteUserRouting(user2);

        assertThat(store.pendingWrites()).hasSize(4);
        Map<Username, UserRouting> expected = ImmutableMap.of(
            user0, UserRouting.internal(),
            user1, UserRouting.thirdParty(ImmutableList.of(new MailAddress("alias1@example.com"))));
        assertThat(store.listUserRoutings()).isEqualTo(expected);
        assertThat(store.userRouting(user2)).isEmpty();
        assertThat(store.userRouting(user0)).contains(UserRouting.internal());
        node(Duration.ZERO).generation();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> store.pendingWrites().isEmpty());
        assertThat(rowsOf(CassandraSplitRoutingTables.Users.TABLE_NAME)).isEqualTo(2);
        assertThat(store.listUserRoutings()).isEqualTo(expected);
        assertThat(store.userRouting(user2)).isEmpty();
    }

    @Test
    void anImportLeftPendingByANodeThatStoppedShouldBeAppliedByAnother() throws Exception {
        CassandraSplitRoutingStore stoppedWriter = node(CassandraSplitRoutingStore.PENDING_WRITE_TAKEOVER);
        stoppedWriter.close();
        Map<Username, UserRouting> users = MultiNodeStoreContract.usersOfEveryKind(StagedWrites.CHUNK_SIZE + 10);

        stoppedWriter.storeAll(ImmutableMap.of(EXAMPLE_COM, TO_PARTNER), users);

        assertThat(rowsOf(CassandraSplitRoutingTables.Users.TABLE_NAME)).isZero();
        assertThat(store.listUserRoutings()).isEqualTo(users);
        CassandraSplitRoutingStore notTooEarly = node(Duration.ofMinutes(10));
        notTooEarly.generation();
        assertThat(notTooEarly.pendingWrites()).hasSize(1);
        node(Duration.ZERO).generation();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> store.pendingWrites().isEmpty());
        assertThat(rowsOf(CassandraSplitRoutingTables.Users.TABLE_NAME)).isEqualTo(users.size());
        assertThat(store.listDomainRoutings()).containsOnly(entry(EXAMPLE_COM, TO_PARTNER));
    }

    @Test
    void aKeyspaceOfAnEarlierVersionShouldGetTheVerificationColumnAndItsDefault() {
        CqlSession session = cassandra.session();
        session.execute("DROP TABLE " + Domains.TABLE_NAME);
        session.execute("CREATE TABLE " + Domains.TABLE_NAME + " (domain text PRIMARY KEY, relays frozen<list<text>>, forward_unknown boolean)");
        session.execute("INSERT INTO " + Domains.TABLE_NAME + " (domain, relays, forward_unknown) VALUES ('example.com', ['10.0.0.1:25'], true)");
        session.execute("INSERT INTO " + Domains.TABLE_NAME + " (domain, relays, forward_unknown) VALUES ('example.org', ['10.0.0.2:25'], false)");

        CassandraSplitRoutingTables.createMissingTables(session);
        CassandraSplitRoutingStore upgraded = new CassandraSplitRoutingStore(session);

        assertThat(upgraded.domainRouting(Domain.of("example.com")).map(DomainRouting::isVerifyRecipients)).contains(true);
        assertThat(upgraded.domainRouting(Domain.of("example.org")).map(DomainRouting::isVerifyRecipients)).contains(false);
        DomainRouting notVerifying = DomainRouting.of(ImmutableList.of(RelayHost.parse("10.0.0.1")), true, false);
        upgraded.storeDomainRouting(Domain.of("example.com"), notVerifying);
        assertThat(upgraded.domainRouting(Domain.of("example.com"))).contains(notVerifying);
    }

    @Test
    void everyReadAndWriteShouldRunAtTheConsistencyLevelItIsGiven() {
        // Three replicas wanted, one node: QUORUM (2) cannot be met, ONE can. The driver's own default would be LOCAL_ONE.
        try (CqlSession admin = cassandra.server().adminSession()) {
            admin.execute("CREATE KEYSPACE IF NOT EXISTS split_rf3 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}");
        }
        try (CqlSession rf3 = cassandra.server().session("split_rf3")) {
            CassandraSplitRoutingTables.createMissingTables(rf3);
            CassandraSplitRoutingStore atQuorum = new CassandraSplitRoutingStore(rf3, DefaultConsistencyLevel.QUORUM);
            CassandraSplitRoutingStore atOne = new CassandraSplitRoutingStore(rf3, DefaultConsistencyLevel.ONE);

            assertThatThrownBy(() -> atQuorum.storeDomainRouting(EXAMPLE_COM, TO_PARTNER)).hasMessageContaining("at consistency QUORUM");
            assertThatThrownBy(() -> atQuorum.domainRouting(EXAMPLE_COM)).hasMessageContaining("at consistency QUORUM");
            assertThatThrownBy(atQuorum::generation).hasMessageContaining("at consistency QUORUM");
            // A commit is a lightweight transaction: its Paxos round needs a quorum of replicas whatever the level.
            assertThatThrownBy(() -> atOne.storeDomainRouting(EXAMPLE_COM, TO_PARTNER)).hasMessageContaining("Not enough replicas available");
            rf3.execute("INSERT INTO " + Domains.TABLE_NAME + " (domain, relays, forward_unknown, verify_recipients) VALUES ('example.com', ['mx2.example.com:25'], true, true)");
            rf3.execute("INSERT INTO " + CassandraSplitRoutingTables.Commits.TABLE_NAME + " (id, latest, latest_micros, applied) VALUES ('settings', 7, 0, 7)");
            assertThat(atOne.domainRouting(EXAMPLE_COM)).contains(TO_PARTNER);
            assertThat(atOne.generation()).isEqualTo(7);
        }
    }

    @Test
    void thePartitionEveryNodePollsShouldHoldNoTombstoneAfterManyWrites() {
        for (int i = 0; i < 30; i++) {
            store.storeUserRouting(Username.of("user" + i + "@example.com"), UserRouting.thirdPartyForAllAddresses());
            store.deleteUserRouting(Username.of("user" + i + "@example.com"));
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> store.pendingWrites().isEmpty());

        // What generation() reads once a second on every node, traced by Cassandra itself.
        com.datastax.oss.driver.api.core.cql.ResultSet polled = cassandra.session().execute(SimpleStatement.newInstance(
                "SELECT DISTINCT id, latest, latest_micros, applied FROM " + CassandraSplitRoutingTables.Commits.TABLE_NAME + " WHERE id = 'settings'")
            .setTracing(true));
        assertThat(polled.one().getLong("latest")).isEqualTo(60);
        List<String> reads = polled.getExecutionInfo().getQueryTrace().getEvents().stream()
            .map(event -> event.getActivity())
            .filter(activity -> activity.startsWith("Read ") && activity.contains("tombstone"))
            .collect(java.util.stream.Collectors.toList());
        assertThat(reads).isNotEmpty().allSatisfy(activity -> assertThat(activity).contains(" 0 tombstone cells"));
    }

    @Test
    void aUserForwardingEveryAddressShouldLeaveNoNullCell() {
        store.storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());
        store.storeUserRouting(Username.of("alice@example.com"), UserRouting.internal());

        for (Row row : cassandra.session().execute("SELECT forwarded_addresses FROM " + CassandraSplitRoutingTables.Users.TABLE_NAME)) {
            assertThat(row.isNull(0)).as("a null cell is a tombstone").isFalse();
        }
        assertThat(store.userRouting(BOB)).contains(UserRouting.thirdPartyForAllAddresses());
        assertThat(store.userRouting(Username.of("alice@example.com"))).contains(UserRouting.internal());
    }

    @Override
    public SettingsHistory history() {
        return new CassandraSettingsHistory(cassandra.session(), DefaultConsistencyLevel.QUORUM);
    }

    @Override
    public SharedSplitRoutingStore store() {
        return store;
    }
}
