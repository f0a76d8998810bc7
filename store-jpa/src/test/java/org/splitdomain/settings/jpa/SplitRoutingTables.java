/*
 * Copyright 2026 the james-split-domain authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
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
