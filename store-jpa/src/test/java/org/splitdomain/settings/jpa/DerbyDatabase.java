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

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import org.apache.commons.configuration2.MapConfiguration;

/** An embedded Derby database, as James's JPA flavour runs by default, named by james-database.properties keys. */
final class DerbyDatabase implements TestDatabase {
    static DerbyDatabase inMemory() {
        return new DerbyDatabase("jdbc:derby:memory:split-routing-" + UUID.randomUUID());
    }

    static DerbyDatabase inDirectory(Path directory) {
        return new DerbyDatabase("jdbc:derby:" + directory.toAbsolutePath());
    }

    private final String url;

    private DerbyDatabase(String url) {
        this.url = url;
    }

    @Override
    public SplitRoutingDatabaseConfiguration configuration() {
        return SplitRoutingDatabaseConfiguration.from(new MapConfiguration(Map.of(
            "database.driverClassName", "org.apache.derby.jdbc.EmbeddedDriver",
            "database.url", url + ";create=true",
            "database.username", "app",
            "database.password", "app")));
    }

    @Override
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url + ";create=true", "app", "app");
    }

    /** What stopping the JVM does to an embedded database: later connections boot it again from disk. */
    void shutdown() {
        closeWith("shutdown=true");
    }

    @Override
    public void drop() {
        closeWith("drop=true");
    }

    // Derby reports a successful shutdown or drop as an SQLException.
    private void closeWith(String attribute) {
        try {
            DriverManager.getConnection(url + ";" + attribute).close();
        } catch (SQLException expected) {
            return;
        }
        throw new IllegalStateException("Derby did not close " + url);
    }
}
