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
import static org.splitdomain.settings.SplitRoutingStoreContract.BOB;
import static org.splitdomain.settings.SplitRoutingStoreContract.EXAMPLE_COM;
import static org.splitdomain.settings.SplitRoutingStoreContract.TO_PARTNER;
import static org.splitdomain.settings.SplitRoutingStoreContract.TO_TWO_RELAYS;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.junit.jupiter.api.Test;
import org.splitdomain.settings.MultiNodeStoreContract;
import org.splitdomain.settings.UserRouting;

import com.google.common.collect.ImmutableList;

/**
 * What the JPA store must do when several James nodes, or one node after a restart, use one database: the rules of
 * every shared store, and the tables it keeps there beside James's.
 */
interface SharedDatabaseContract extends MultiNodeStoreContract {
    String REFUSE_COMMITS = "SPLIT_DOMAIN_REFUSE_COMMITS";

    /** A store on the test's database, as one more James node opens it; closed after the test. */
    @Override
    JpaSplitRoutingStore openNode();

    Connection connect() throws SQLException;

    /** Every write moves the generation row in its transaction: a check that holds the counter where it is refuses them all. */
    @Override
    default AutoCloseable refuseCommits() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet generation = statement.executeQuery("SELECT COUNTER FROM SPLIT_DOMAIN_GENERATION")) {
            generation.next();
            statement.execute("ALTER TABLE SPLIT_DOMAIN_GENERATION ADD CONSTRAINT " + REFUSE_COMMITS + " CHECK (COUNTER <= " + generation.getLong(1) + ")");
        }
        return () -> {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE SPLIT_DOMAIN_GENERATION DROP CONSTRAINT " + REFUSE_COMMITS);
            }
        };
    }

    // The collection tables have no foreign key (imports are three times faster without): the store removes their rows.
    @Test
    default void removedSettingsShouldLeaveNoRowOfTheirAddressesOrRelays() throws Exception {
        try (JpaSplitRoutingStore node = openNode()) {
            node.storeDomainRouting(EXAMPLE_COM, TO_TWO_RELAYS);
            node.storeUserRouting(BOB, UserRouting.thirdParty(ImmutableList.of(new MailAddress("bob@example.com"), new MailAddress("b@example.com"))));
            node.storeAll(java.util.Map.of(), java.util.Map.of(Username.of("carol@example.com"),
                UserRouting.thirdParty(ImmutableList.of(new MailAddress("carol@example.com")))));

            node.deleteUserRouting(BOB);
            node.deleteDomainRouting(EXAMPLE_COM);
            node.storeAll(java.util.Map.of(), java.util.Map.of(Username.of("carol@example.com"), UserRouting.internal()));
        }

        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String table : List.of("SPLIT_DOMAIN_FORWARDED_ADDRESS", "SPLIT_DOMAIN_RELAY")) {
                try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rows.next();
                    assertThat(rows.getLong(1)).as(table).isZero();
                }
            }
        }
    }

    @Test
    default void tablesShouldAllBeNamedSplitDomain() throws SQLException {
        try (JpaSplitRoutingStore node = openNode(); Connection connection = connect()) {
            assertThat(tables(connection)).containsExactlyInAnyOrder(
                "SPLIT_DOMAIN_DOMAIN_ROUTING",
                "SPLIT_DOMAIN_RELAY",
                "SPLIT_DOMAIN_USER_ROUTING",
                "SPLIT_DOMAIN_FORWARDED_ADDRESS",
                "SPLIT_DOMAIN_GENERATION",
                "SPLIT_DOMAIN_SETTINGS_HISTORY");
        }
    }

    @Test
    default void jamesTablesInTheSameDatabaseShouldBeLeftAlone() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE JAMES_DOMAIN (DOMAIN_NAME VARCHAR(100) NOT NULL PRIMARY KEY)");
            statement.execute("INSERT INTO JAMES_DOMAIN VALUES ('example.com')");

            try (JpaSplitRoutingStore node = openNode()) {
                node.storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
            }

            try (ResultSet domains = statement.executeQuery("SELECT DOMAIN_NAME FROM JAMES_DOMAIN")) {
                assertThat(domains.next()).isTrue();
                assertThat(domains.getString(1)).isEqualTo("example.com");
                assertThat(domains.next()).isFalse();
            }
        }
    }

    private static List<String> tables(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet result = connection.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            while (result.next()) {
                tables.add(result.getString("TABLE_NAME").toUpperCase(Locale.US));
            }
        }
        return tables;
    }
}
