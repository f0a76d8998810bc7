package org.splitdomain.settings.jpa;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import com.google.common.io.Closer;

/** James nodes on a database of the test's own: stopped, and the database dropped, after each test. */
abstract class SharedDatabaseNodes implements SharedDatabaseContract {
    private final Closer nodes = Closer.create();
    private TestDatabase database;

    abstract TestDatabase createDatabase();

    @BeforeEach
    void startWithAnEmptyDatabase() {
        database = createDatabase();
    }

    @AfterEach
    void stopNodesAndDropTheDatabase() throws IOException {
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
