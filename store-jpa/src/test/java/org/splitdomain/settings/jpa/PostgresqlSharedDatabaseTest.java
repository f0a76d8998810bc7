package org.splitdomain.settings.jpa;

import java.sql.Connection;
import java.sql.SQLException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresqlSharedDatabaseTest implements SharedDatabaseContract {
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
    public JpaSplitRoutingStore openNode() {
        return JpaSplitRoutingStore.open(database.configuration());
    }

    @Override
    public Connection connect() throws SQLException {
        return database.connect();
    }
}
