package org.splitdomain.settings.cassandra;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.splitdomain.settings.SharedSplitRoutingStore;
import org.splitdomain.settings.SharedSplitRoutingStoreContract;

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

    @Override
    public SharedSplitRoutingStore store() {
        return store;
    }
}
