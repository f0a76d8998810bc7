package org.splitdomain.settings.jpa;

import java.sql.Connection;
import java.sql.SQLException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.splitdomain.settings.SharedSplitRoutingStore;
import org.splitdomain.settings.SharedSplitRoutingStoreContract;

/** The store on a real PostgreSQL, the database most production deployments of James's JPA flavour use. */
class PostgresqlSplitRoutingStoreTest implements SharedSplitRoutingStoreContract {
    @RegisterExtension
    static PostgresqlCluster postgresql = new PostgresqlCluster();

    private static PostgresqlCluster.Database database;

    private JpaSplitRoutingStore store;

    @BeforeAll
    static void createDatabase() {
        database = postgresql.createDatabase();
    }

    @AfterAll
    static void dropDatabase() {
        if (database != null) {
            database.drop();
        }
    }

    @BeforeEach
    void setUp() {
        store = JpaSplitRoutingStore.open(database.configuration());
    }

    @AfterEach
    void tearDown() throws SQLException {
        store.close();
        try (Connection connection = database.connect()) {
            SplitRoutingTables.deleteSettings(connection);
        }
    }

    @Override
    public SharedSplitRoutingStore store() {
        return store;
    }
}
