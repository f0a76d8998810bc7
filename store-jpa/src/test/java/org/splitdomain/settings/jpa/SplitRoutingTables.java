package org.splitdomain.settings.jpa;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** The store's tables, for tests that reuse one database: emptying them is much faster than a new database. */
final class SplitRoutingTables {
    private static final List<String> SETTINGS = List.of(
        "SPLIT_DOMAIN_RELAY", "SPLIT_DOMAIN_DOMAIN_ROUTING", "SPLIT_DOMAIN_FORWARDED_ADDRESS", "SPLIT_DOMAIN_USER_ROUTING",
        "SPLIT_DOMAIN_SETTINGS_HISTORY");

    /** Keeps the generation row, as a store only ever moves it forward. */
    static void deleteSettings(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String table : SETTINGS) {
                statement.executeUpdate("DELETE FROM " + table);
            }
        }
    }

    private SplitRoutingTables() {
    }
}
