package org.splitdomain.settings.jpa;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import javax.persistence.PersistenceException;

import org.apache.commons.configuration2.MapConfiguration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.splitdomain.settings.SharedSplitRoutingStore;
import org.splitdomain.settings.SharedSplitRoutingStoreContract;

/** The store on embedded Derby, the database of James's JPA flavour out of the box. */
class JpaSplitRoutingStoreTest implements SharedSplitRoutingStoreContract {
    private static DerbyDatabase database;

    private JpaSplitRoutingStore store;

    @BeforeAll
    static void createDatabase() {
        database = DerbyDatabase.inMemory();
    }

    @AfterAll
    static void dropDatabase() {
        database.drop();
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

    // James must not start half-configured: the administrator learns which database failed.
    @Test
    void openShouldNameTheDatabaseWhenItCannotBeReached() {
        SplitRoutingDatabaseConfiguration missing = SplitRoutingDatabaseConfiguration.from(new MapConfiguration(Map.of(
            "database.driverClassName", "org.apache.derby.jdbc.EmbeddedDriver",
            "database.url", "jdbc:derby:memory:no-such-database")));

        assertThatThrownBy(() -> JpaSplitRoutingStore.open(missing))
            .isInstanceOf(PersistenceException.class)
            .hasMessage("Could not open the split-routing settings in jdbc:derby:memory:no-such-database");
    }
}
