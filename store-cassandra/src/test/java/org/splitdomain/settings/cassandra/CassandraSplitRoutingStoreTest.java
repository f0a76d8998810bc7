package org.splitdomain.settings.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.james.core.Domain;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.SharedSplitRoutingStore;
import org.splitdomain.settings.SharedSplitRoutingStoreContract;
import org.splitdomain.settings.cassandra.CassandraSplitRoutingTables.Domains;

import com.datastax.oss.driver.api.core.CqlSession;
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

    @Override
    public SharedSplitRoutingStore store() {
        return store;
    }
}
