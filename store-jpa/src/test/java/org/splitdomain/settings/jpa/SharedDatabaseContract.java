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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.junit.jupiter.api.Test;
import org.splitdomain.settings.CachedSplitRoutingStore;
import org.splitdomain.settings.UserRouting;

import com.google.common.collect.ImmutableList;

/** What the JPA store must do when several James nodes, or one node after a restart, use one database. */
interface SharedDatabaseContract {
    /** A store on the test's database, as one more James node opens it; the caller closes it. */
    JpaSplitRoutingStore openNode();

    Connection connect() throws SQLException;

    @Test
    default void settingsShouldSurviveARestartOfTheNode() throws Exception {
        UserRouting chosen = UserRouting.thirdParty(ImmutableList.of(new MailAddress("bob@example.com"), new MailAddress("robert@example.com")));
        long generationBeforeRestart;
        try (JpaSplitRoutingStore node = openNode()) {
            node.storeDomainRouting(EXAMPLE_COM, TO_TWO_RELAYS);
            node.storeUserRouting(BOB, chosen);
            generationBeforeRestart = node.generation();
        }

        try (JpaSplitRoutingStore restarted = openNode()) {
            assertThat(restarted.listDomainRoutings()).containsOnlyKeys(EXAMPLE_COM).containsEntry(EXAMPLE_COM, TO_TWO_RELAYS);
            assertThat(restarted.userRouting(BOB)).contains(chosen);
            assertThat(restarted.generation()).isEqualTo(generationBeforeRestart);
        }
    }

    @Test
    default void aNodeShouldSeeTheWritesOfAnother() {
        try (JpaSplitRoutingStore first = openNode(); JpaSplitRoutingStore second = openNode()) {
            first.storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
            second.storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());

            assertThat(second.domainRouting(EXAMPLE_COM)).contains(TO_PARTNER);
            assertThat(first.listUserRoutings()).containsEntry(BOB, UserRouting.thirdPartyForAllAddresses());

            second.deleteDomainRouting(EXAMPLE_COM);
            assertThat(first.domainRouting(EXAMPLE_COM)).isEmpty();
        }
    }

    @Test
    default void generationShouldMoveOnEveryNodeWhenOneWrites() {
        try (JpaSplitRoutingStore first = openNode(); JpaSplitRoutingStore second = openNode()) {
            long before = second.generation();

            first.storeDomainRouting(EXAMPLE_COM, TO_PARTNER);

            assertThat(second.generation()).isNotEqualTo(before).isEqualTo(first.generation());
        }
    }

    @Test
    default void aCachedCopyOnEachNodeShouldCatchUpWithTheOtherNodesWrites() {
        // A refresh period of an hour: the test refreshes by hand instead of waiting.
        try (JpaSplitRoutingStore firstDatabase = openNode(); JpaSplitRoutingStore secondDatabase = openNode();
             CachedSplitRoutingStore first = new CachedSplitRoutingStore(firstDatabase, Duration.ofHours(1));
             CachedSplitRoutingStore second = new CachedSplitRoutingStore(secondDatabase, Duration.ofHours(1))) {
            first.storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
            assertThat(second.domainRouting(EXAMPLE_COM)).isEmpty();

            second.refresh();

            assertThat(second.domainRouting(EXAMPLE_COM)).contains(TO_PARTNER);
        }
    }

    @Test
    default void concurrentFirstWritesOfOneDomainFromTwoNodesShouldAllSucceed() {
        int writesPerNode = 10;
        try (JpaSplitRoutingStore first = openNode(); JpaSplitRoutingStore second = openNode()) {
            long before = first.generation();

            runConcurrently(2 * writesPerNode, index -> {
                JpaSplitRoutingStore node = index % 2 == 0 ? first : second;
                node.storeDomainRouting(EXAMPLE_COM, index % 2 == 0 ? TO_PARTNER : TO_TWO_RELAYS);
            });

            assertThat(first.listDomainRoutings()).containsOnlyKeys(EXAMPLE_COM);
            assertThat(first.domainRouting(EXAMPLE_COM).orElseThrow()).isIn(TO_PARTNER, TO_TWO_RELAYS);
            assertThat(second.generation()).isEqualTo(before + 2 * writesPerNode);
        }
    }

    @Test
    default void concurrentWritesOfManyUsersFromTwoNodesShouldAllLand() {
        int users = 40;
        try (JpaSplitRoutingStore first = openNode(); JpaSplitRoutingStore second = openNode()) {
            runConcurrently(users, index -> (index % 2 == 0 ? first : second)
                .storeUserRouting(Username.of("user" + index + "@example.com"), UserRouting.thirdPartyForAllAddresses()));

            assertThat(second.listUserRoutings()).hasSize(users);
        }
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

    private static void runConcurrently(int writes, IntConsumer write) {
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            CompletableFuture.allOf(IntStream.range(0, writes)
                    .mapToObj(index -> CompletableFuture.runAsync(() -> write.accept(index), executor))
                    .toArray(CompletableFuture[]::new))
                .join();
        } finally {
            executor.shutdownNow();
        }
    }
}
