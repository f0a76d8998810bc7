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
package org.splitdomain.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CachedSplitRoutingStoreTest {
    /** A database shared by several nodes, in memory: each write moves the generation. */
    static class SharedMemoryStore extends MemorySplitRoutingStore implements SharedSplitRoutingStore {
        private final AtomicLong generation = new AtomicLong();
        private volatile Optional<GenerationMove> lastWriteMove = Optional.empty();

        @Override
        public long generation() {
            return generation.get();
        }

        @Override
        public Optional<GenerationMove> lastWriteMove() {
            return lastWriteMove;
        }

        private void moved() {
            long after = generation.incrementAndGet();
            lastWriteMove = Optional.of(new GenerationMove(after - 1, after));
        }

        @Override
        public void storeDomainRouting(Domain domain, DomainRouting routing) {
            super.storeDomainRouting(domain, routing);
            moved();
        }

        @Override
        public void deleteDomainRouting(Domain domain) {
            super.deleteDomainRouting(domain);
            moved();
        }

        @Override
        public void storeUserRouting(Username username, UserRouting routing) {
            super.storeUserRouting(username, routing);
            moved();
        }

        @Override
        public void deleteUserRouting(Username username) {
            super.deleteUserRouting(username);
            moved();
        }
    }

    @Nested
    class Contract implements SplitRoutingStoreContract, ConcurrentWritersContract {
        private CachedSplitRoutingStore store;

        @BeforeEach
        void setUp() {
            store = new CachedSplitRoutingStore(new SharedMemoryStore(), Duration.ofMillis(50));
        }

        @AfterEach
        void tearDown() {
            store.close();
        }

        @Override
        public SplitRoutingStore store() {
            return store;
        }

        // A node's copy takes the concurrent writes of that node's requests.
        @Override
        public SplitRoutingStore writer() {
            return store;
        }
    }

    @Nested
    class SharedMemoryStoreContract implements SharedSplitRoutingStoreContract {
        private final SharedMemoryStore store = new SharedMemoryStore();

        @Override
        public SharedSplitRoutingStore store() {
            return store;
        }
    }

    private static final Duration NEVER = Duration.ofDays(1);

    private SharedMemoryStore database;
    private CachedSplitRoutingStore nodeA;
    private CachedSplitRoutingStore nodeB;

    @BeforeEach
    void setUp() {
        database = spy(new SharedMemoryStore());
        database.storeDomainRouting(SplitRoutingStoreContract.EXAMPLE_COM, SplitRoutingStoreContract.TO_PARTNER);
    }

    @AfterEach
    void tearDown() {
        if (nodeA != null) {
            nodeA.close();
        }
        if (nodeB != null) {
            nodeB.close();
        }
    }

    @Test
    void aGenerationMovedByAnotherNodeShouldBeReloadedOnce() {
        nodeA = new CachedSplitRoutingStore(database, NEVER);
        nodeB = new CachedSplitRoutingStore(database, NEVER);
        nodeB.storeUserRouting(SplitRoutingStoreContract.BOB, UserRouting.internal());
        clearInvocations(database);
        nodeA.refresh();
        verify(database, times(1)).listUserRoutings();
        clearInvocations(database);

        nodeA.refresh();
        nodeA.refresh();

        verify(database, times(0)).listUserRoutings();
    }

    @Test
    void aNodeShouldNotReloadForItsOwnWrite() {
        nodeA = new CachedSplitRoutingStore(database, NEVER);
        nodeA.storeUserRouting(SplitRoutingStoreContract.BOB, UserRouting.thirdPartyForAllAddresses());
        clearInvocations(database);

        nodeA.refresh();

        verify(database, times(0)).listUserRoutings();
        assertThat(nodeA.userRouting(SplitRoutingStoreContract.BOB)).contains(UserRouting.thirdPartyForAllAddresses());
    }

    @Test
    void aWriteOfAnotherNodeBeforeItsOwnShouldStillBeReloaded() {
        nodeA = new CachedSplitRoutingStore(database, NEVER);
        nodeB = new CachedSplitRoutingStore(database, NEVER);
        nodeB.storeDomainRouting(SplitRoutingStoreContract.EXAMPLE_COM, SplitRoutingStoreContract.TO_TWO_RELAYS);
        nodeA.storeUserRouting(SplitRoutingStoreContract.BOB, UserRouting.thirdPartyForAllAddresses());

        nodeA.refresh();

        assertThat(nodeA.domainRouting(SplitRoutingStoreContract.EXAMPLE_COM)).contains(SplitRoutingStoreContract.TO_TWO_RELAYS);
    }

    @Test
    void settingsInTheDatabaseAtStartShouldBeLoaded() {
        nodeA = new CachedSplitRoutingStore(database, NEVER);

        assertThat(nodeA.domainRouting(SplitRoutingStoreContract.EXAMPLE_COM)).contains(SplitRoutingStoreContract.TO_PARTNER);
    }

    @Test
    void readsShouldNotReachTheDatabase() {
        nodeA = new CachedSplitRoutingStore(database, NEVER);

        for (int i = 0; i < 100; i++) {
            nodeA.domainRouting(SplitRoutingStoreContract.EXAMPLE_COM);
            nodeA.userRouting(SplitRoutingStoreContract.BOB);
        }

        verify(database, times(0)).domainRouting(any());
        verify(database, times(0)).userRouting(any());
    }

    @Test
    void aWriteShouldBeInEffectAtOnceOnTheNodeThatTookIt() {
        nodeA = new CachedSplitRoutingStore(database, NEVER);

        nodeA.storeUserRouting(SplitRoutingStoreContract.BOB, UserRouting.thirdPartyForAllAddresses());

        assertThat(nodeA.userRouting(SplitRoutingStoreContract.BOB)).contains(UserRouting.thirdPartyForAllAddresses());
        assertThat(database.userRouting(SplitRoutingStoreContract.BOB)).contains(UserRouting.thirdPartyForAllAddresses());
    }

    @Test
    void aWriteOnAnotherNodeShouldReachThisNodeAtTheNextRefresh() {
        nodeA = new CachedSplitRoutingStore(database, Duration.ofMillis(100));
        nodeB = new CachedSplitRoutingStore(database, NEVER);

        nodeB.storeUserRouting(SplitRoutingStoreContract.BOB, UserRouting.thirdPartyForAllAddresses());
        nodeB.deleteDomainRouting(SplitRoutingStoreContract.EXAMPLE_COM);

        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(nodeA.userRouting(SplitRoutingStoreContract.BOB)).contains(UserRouting.thirdPartyForAllAddresses());
            assertThat(nodeA.domainRouting(SplitRoutingStoreContract.EXAMPLE_COM)).isEmpty();
        });
    }

    @Test
    void refreshShouldNotReloadWhenNothingChanged() {
        nodeA = new CachedSplitRoutingStore(database, NEVER);

        nodeA.refresh();
        nodeA.refresh();

        verify(database, times(1)).listUserRoutings();
    }

    @Test
    void routingShouldGoOnWithTheLastCopyWhenTheDatabaseCannotBeRead() {
        nodeA = new CachedSplitRoutingStore(database, NEVER);
        database.storeUserRouting(SplitRoutingStoreContract.BOB, UserRouting.thirdPartyForAllAddresses());
        when(database.listUserRoutings()).thenThrow(new IllegalStateException("database down"));

        assertThatThrownBy(nodeA::refresh).hasMessage("database down");
        assertThat(nodeA.domainRouting(SplitRoutingStoreContract.EXAMPLE_COM)).contains(SplitRoutingStoreContract.TO_PARTNER);
    }

    @Test
    void aFailedWriteShouldLeaveTheCopyUnchanged() {
        nodeA = new CachedSplitRoutingStore(database, NEVER);
        doThrow(new IllegalStateException("database down")).when(database).storeUserRouting(any(), any());

        assertThatThrownBy(() -> nodeA.storeUserRouting(SplitRoutingStoreContract.BOB, UserRouting.thirdPartyForAllAddresses()))
            .hasMessage("database down");
        assertThat(nodeA.userRouting(SplitRoutingStoreContract.BOB)).isEmpty();
    }
}
