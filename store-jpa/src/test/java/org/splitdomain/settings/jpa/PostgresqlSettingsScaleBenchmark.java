package org.splitdomain.settings.jpa;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.splitdomain.settings.SettingsScaleBenchmark;
import org.splitdomain.settings.SharedSplitRoutingStore;

/** {@link SettingsScaleBenchmark} on PostgreSQL, the database of a production JPA James. */
class PostgresqlSettingsScaleBenchmark implements SettingsScaleBenchmark {
    @RegisterExtension
    static PostgresqlCluster postgresql = new PostgresqlCluster();

    private PostgresqlCluster.Database database;

    @BeforeEach
    void setUp() {
        database = postgresql.createDatabase();
    }

    @AfterEach
    void tearDown() {
        database.drop();
    }

    @Override
    public String storeName() {
        return "jpa-postgresql";
    }

    @Override
    public SharedSplitRoutingStore openNode() {
        return JpaSplitRoutingStore.open(database.configuration());
    }
}
