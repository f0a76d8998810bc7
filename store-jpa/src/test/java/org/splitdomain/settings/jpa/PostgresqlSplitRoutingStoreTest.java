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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.sql.Connection;
import java.time.Duration;
import java.sql.SQLException;

import org.apache.commons.configuration2.PropertiesConfiguration;
import org.apache.commons.configuration2.io.FileHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.splitdomain.settings.SharedSplitRoutingStore;
import org.splitdomain.settings.SharedSplitRoutingStoreContract;

/** The store on a real PostgreSQL, the database most production deployments of James's JPA flavour use. */
class PostgresqlSplitRoutingStoreTest implements JpaSplitRoutingStoreContract {
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

    @Test
    void closeShouldReleaseEveryConnectionOfTheStore() throws Exception {
        PropertiesConfiguration properties = new PropertiesConfiguration();
        new FileHandler(properties).load(new StringReader(database.jamesDatabaseProperties("closing-store")));
        JpaSplitRoutingStore tagged = new JpaSplitRoutingStore(SplitRoutingDatabaseConfiguration.from(properties));
        tagged.storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
        assertThat(database.connectionsOf("closing-store")).isPositive();

        tagged.close();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(database.connectionsOf("closing-store")).isZero());
    }

    @Override
    public SharedSplitRoutingStore store() {
        return store;
    }
}
