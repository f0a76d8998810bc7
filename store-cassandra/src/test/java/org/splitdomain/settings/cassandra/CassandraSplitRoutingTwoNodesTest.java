package org.splitdomain.settings.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.splitdomain.guice.CassandraSplitRoutingModule;
import org.splitdomain.settings.CachedSplitRoutingStore;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.ForwardingSharedStore;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.SharedSplitRoutingStore;
import org.splitdomain.settings.SplitRoutingStore;
import org.splitdomain.settings.UserRouting;

import com.datastax.oss.driver.api.core.CqlSession;
import com.google.common.collect.ImmutableList;
import com.google.inject.Guice;
import com.google.inject.Injector;

/** Two James nodes, each with its own session on one keyspace, as in a distributed deployment. */
class CassandraSplitRoutingTwoNodesTest {
    private static final Domain EXAMPLE_COM = Domain.of("example.com");
    private static final Username BOB = Username.of("bob@example.com");
    private static final DomainRouting TO_PARTNER = DomainRouting.of(ImmutableList.of(RelayHost.parse("mx2.example.com")), true);

    @RegisterExtension
    static CassandraExtension cassandra = new CassandraExtension();

    private static CqlSession sessionOfA;
    private static CqlSession sessionOfB;

    private final List<CachedSplitRoutingStore> started = new ArrayList<>();
    private Injector nodeA;
    private Injector nodeB;

    @BeforeAll
    static void openSessions() {
        sessionOfA = cassandra.newSession();
        sessionOfB = cassandra.newSession();
        CassandraSplitRoutingTables.createMissingTables(sessionOfA);
    }

    // Cleared before the nodes start, so that their copies never hold settings of an earlier test.
    @BeforeEach
    void startNodes() {
        cassandra.clearTables(CassandraSplitRoutingTables.MODULE);
        nodeA = startNode(sessionOfA);
        nodeB = startNode(sessionOfB);
    }

    @AfterEach
    void stopNodes() {
        started.forEach(CachedSplitRoutingStore::close);
        started.clear();
    }

    private Injector startNode(CqlSession session) {
        Injector james = Guice.createInjector(binder -> binder.bind(CqlSession.class).toInstance(session));
        Injector extension = james.createChildInjector(new CassandraSplitRoutingModule());
        started.add(extension.getInstance(CachedSplitRoutingStore.class));
        return extension;
    }

    @Test
    void aNodeShouldReadWhatTheOtherWrote() {
        nodeA.getInstance(SharedSplitRoutingStore.class).storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
        nodeA.getInstance(SharedSplitRoutingStore.class).storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());

        SharedSplitRoutingStore b = nodeB.getInstance(SharedSplitRoutingStore.class);
        assertThat(b.domainRouting(EXAMPLE_COM)).contains(TO_PARTNER);
        assertThat(b.listUserRoutings()).containsEntry(BOB, UserRouting.thirdPartyForAllAddresses());
    }

    @Test
    void generationSeenByANodeShouldMoveWhenTheOtherWrites() {
        SharedSplitRoutingStore b = nodeB.getInstance(SharedSplitRoutingStore.class);
        long before = b.generation();

        nodeA.getInstance(SharedSplitRoutingStore.class).deleteUserRouting(BOB);

        assertThat(b.generation()).isNotEqualTo(before);
    }

    @Test
    void bothNodesShouldSeeTheSameGeneration() {
        nodeA.getInstance(SharedSplitRoutingStore.class).storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
        nodeB.getInstance(SharedSplitRoutingStore.class).deleteDomainRouting(EXAMPLE_COM);

        assertThat(nodeA.getInstance(SharedSplitRoutingStore.class).generation())
            .isEqualTo(nodeB.getInstance(SharedSplitRoutingStore.class).generation());
    }

    @Test
    void aNodeShouldNotReloadForItsOwnWriteButForAnothersInBetween() {
        AtomicInteger reloadsOfA = new AtomicInteger();
        CassandraSplitRoutingStore storeOfA = new CassandraSplitRoutingStore(sessionOfA);
        SharedSplitRoutingStore countingReloads = new ForwardingSharedStore(storeOfA) {
            @Override
            public Map<Username, UserRouting> listUserRoutings() {
                reloadsOfA.incrementAndGet();
                return super.listUserRoutings();
            }
        };
        CachedSplitRoutingStore copyOfA = new CachedSplitRoutingStore(countingReloads, Duration.ofDays(1));
        started.add(copyOfA);
        reloadsOfA.set(0);

        copyOfA.storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());
        copyOfA.refresh();
        assertThat(reloadsOfA).as("after its own write").hasValue(0);

        nodeB.getInstance(SplitRoutingStore.class).storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
        copyOfA.storeUserRouting(Username.of("alice@example.com"), UserRouting.internal());
        copyOfA.refresh();
        assertThat(reloadsOfA).as("after another node wrote in between").hasValue(1);
        assertThat(copyOfA.domainRouting(EXAMPLE_COM)).contains(TO_PARTNER);
    }

    @Test
    void routingOfANodeShouldFollowWritesOfTheOther() {
        SplitRoutingStore routingOfB = nodeB.getInstance(SplitRoutingStore.class);
        assertThat(routingOfB.domainRouting(EXAMPLE_COM)).isEmpty();

        nodeA.getInstance(SplitRoutingStore.class).storeDomainRouting(EXAMPLE_COM, TO_PARTNER);

        // The copy of node B is refreshed every CachedSplitRoutingStore.DEFAULT_REFRESH_PERIOD.
        Awaitility.await().atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(routingOfB.domainRouting(EXAMPLE_COM)).contains(TO_PARTNER));
    }
}
