package org.splitdomain.settings.jpa;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.google.common.io.Closer;

class PostgresqlSharedDatabaseTest implements SharedDatabaseContract {
    @RegisterExtension
    static PostgresqlCluster postgresql = new PostgresqlCluster();

    private final Closer nodes = Closer.create();
    private PostgresqlCluster.Database database;

    @BeforeEach
    void setUp() {
        database = postgresql.createDatabase();
    }

    @AfterEach
    void tearDown() throws IOException {
        nodes.close();
        database.drop();
    }

    @Override
    public JpaSplitRoutingStore openNode() {
        JpaSplitRoutingStore node = JpaSplitRoutingStore.open(database.configuration());
        nodes.register(node::close);
        return node;
    }

    @Override
    public Connection connect() throws SQLException {
        return database.connect();
    }
}
