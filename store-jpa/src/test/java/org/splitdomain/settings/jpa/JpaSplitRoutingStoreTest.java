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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import javax.persistence.PersistenceException;

import org.apache.commons.configuration2.MapConfiguration;
import org.apache.james.core.Domain;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.SharedSplitRoutingStore;
import org.splitdomain.settings.SharedSplitRoutingStoreContract;

import com.google.common.collect.ImmutableList;

/** The store on embedded Derby, the database of James's JPA flavour out of the box. */
class JpaSplitRoutingStoreTest implements JpaSplitRoutingStoreContract {
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

    @Test
    void aDatabaseOfAnEarlierVersionShouldGetTheVerificationColumnAndItsDefault() throws SQLException {
        DerbyDatabase earlier = DerbyDatabase.inMemory();
        try (JpaSplitRoutingStore first = JpaSplitRoutingStore.open(earlier.configuration())) {
            first.storeDomainRouting(Domain.of("example.com"), DomainRouting.of(ImmutableList.of(RelayHost.parse("10.0.0.1")), true, false));
            first.storeDomainRouting(Domain.of("example.org"), DomainRouting.of(ImmutableList.of(RelayHost.parse("10.0.0.2")), false));
        }
        try (Connection connection = earlier.connect(); Statement statement = connection.createStatement()) {
            // The table as versions before recipient verification made it.
            statement.execute("ALTER TABLE SPLIT_DOMAIN_DOMAIN_ROUTING DROP COLUMN VERIFY_RECIPIENTS");
        }

        try (JpaSplitRoutingStore upgraded = JpaSplitRoutingStore.open(earlier.configuration())) {
            assertThat(upgraded.domainRouting(Domain.of("example.com")).map(DomainRouting::isVerifyRecipients)).contains(true);
            assertThat(upgraded.domainRouting(Domain.of("example.org")).map(DomainRouting::isVerifyRecipients)).contains(false);
            DomainRouting notVerifying = DomainRouting.of(ImmutableList.of(RelayHost.parse("10.0.0.1")), true, false);
            upgraded.storeDomainRouting(Domain.of("example.com"), notVerifying);
            assertThat(upgraded.domainRouting(Domain.of("example.com"))).contains(notVerifying);
        } finally {
            earlier.drop();
        }
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
