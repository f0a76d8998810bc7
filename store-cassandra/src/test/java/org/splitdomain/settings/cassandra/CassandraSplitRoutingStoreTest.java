package org.splitdomain.settings.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.SharedSplitRoutingStore;
import org.splitdomain.settings.SharedSplitRoutingStoreContract;
import org.splitdomain.settings.UserRouting;
import org.splitdomain.settings.cassandra.CassandraSplitRoutingTables.Domains;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.Row;
import com.google.common.collect.ImmutableList;

class CassandraSplitRoutingStoreTest implements SharedSplitRoutingStoreContract {
    @RegisterExtension
    static CassandraExtension cassandra = new CassandraExtension();

    private CassandraSplitRoutingStore store;

    @BeforeAll
    static void createTables() {
        CassandraSplitRoutingTables.createMissingTables(cassandra.session());
    }

    @BeforeEach
    void setUp() {
        cassandra.clearTables(CassandraSplitRoutingTables.MODULE);
        store = new CassandraSplitRoutingStore(cassandra.session());
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
            atOne.storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
            assertThat(atOne.domainRouting(EXAMPLE_COM)).contains(TO_PARTNER);
        }
    }

    @Test
    void aWriteThatCannotMoveTheVersionShouldWriteNoSettingsEither() {
        CqlSession session = cassandra.session();
        long before = store.generation();
        session.execute("DROP TABLE " + CassandraSplitRoutingTables.Version.TABLE_NAME);
        try {
            assertThatThrownBy(() -> store.storeDomainRouting(EXAMPLE_COM, TO_PARTNER)).isInstanceOf(RuntimeException.class);
        } finally {
            CassandraSplitRoutingTables.createMissingTables(session);
        }

        CassandraSplitRoutingStore afterwards = new CassandraSplitRoutingStore(session);
        assertThat(afterwards.domainRouting(EXAMPLE_COM)).isEmpty();
        afterwards.storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
        assertThat(afterwards.domainRouting(EXAMPLE_COM)).contains(TO_PARTNER);
        assertThat(afterwards.generation()).isNotEqualTo(before);
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
    public SharedSplitRoutingStore store() {
        return store;
    }
}
