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
import static org.splitdomain.settings.SplitRoutingStoreContract.ALICE;
import static org.splitdomain.settings.SplitRoutingStoreContract.BOB;
import static org.splitdomain.settings.SplitRoutingStoreContract.EXAMPLE_COM;
import static org.splitdomain.settings.SplitRoutingStoreContract.EXAMPLE_ORG;
import static org.splitdomain.settings.SplitRoutingStoreContract.TO_PARTNER;
import static org.splitdomain.settings.SplitRoutingStoreContract.TO_TWO_RELAYS;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

/**
 * The rules of a store that several James nodes share (each with its {@link CachedSplitRoutingStore copy}), or that
 * one node finds again after a restart: an import moves the generation once; a write whose commit fails leaves
 * nothing visible; a node sees another node's write within its refresh period; concurrent writers each land or are
 * refused with an error ({@link ConcurrentWritersContract}). Every database store runs it; {@code docs/stores.md}
 * says how each one commits.
 */
public interface MultiNodeStoreContract extends ConcurrentWritersContract {
    /** More users than one chunk or one statement of any store holds: an import that takes several round trips. */
    int IMPORTED_USERS = 10_001;
    Duration NEVER = Duration.ofDays(1);
    /** What a node's copy needs beyond its refresh period to see a write: the reload, and a loaded machine's scheduling. */
    Duration RELOAD_ALLOWANCE = Duration.ofSeconds(2);

    /**
     * One more James node on the test's database, with connections of its own. The test class stops every node it
     * opened after each test; a test may stop one earlier (close it).
     */
    SharedSplitRoutingStore openNode();

    /**
     * Until the returned handle is closed, the database refuses the commit of every write: whatever a write sent
     * before its commit stays invisible. Settings written before are kept, and the generation with them.
     */
    AutoCloseable refuseCommits() throws Exception;

    @Override
    default SplitRoutingStore writer() {
        return openNode();
    }

    @Override
    default OptionalLong generationSeenByAnotherNode() {
        return OptionalLong.of(openNode().generation());
    }

    /** {@code userN@example.com}, N from 0: a third-party user for all addresses, one for {@code aliasN@example.com}, an internal one, and again. */
    static Map<Username, UserRouting> usersOfEveryKind(int count) throws Exception {
        ImmutableMap.Builder<Username, UserRouting> users = ImmutableMap.builder();
        for (int i = 0; i < count; i++) {
            Username username = Username.of("user" + i + "@example.com");
            switch (i % 3) {
                case 0:
                    users.put(username, UserRouting.thirdPartyForAllAddresses());
                    break;
                case 1:
                    users.put(username, UserRouting.thirdParty(ImmutableList.of(new MailAddress("alias" + i + "@example.com"))));
                    break;
                default:
                    users.put(username, UserRouting.internal());
            }
        }
        return users.build();
    }

    private static void stop(SharedSplitRoutingStore node) throws Exception {
        if (node instanceof AutoCloseable) {
            ((AutoCloseable) node).close();
        }
    }

    @Test
    default void anImportShouldMoveTheGenerationOnceAndBeSeenWholeByAnotherNode() throws Exception {
        SharedSplitRoutingStore writer = openNode();
        SharedSplitRoutingStore other = openNode();
        Map<Username, UserRouting> users = usersOfEveryKind(IMPORTED_USERS);
        Map<Domain, DomainRouting> domains = ImmutableMap.of(EXAMPLE_COM, TO_PARTNER, EXAMPLE_ORG, TO_TWO_RELAYS);
        long before = other.generation();
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        AtomicBoolean importing = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (importing.get()) {
                seen.add(other.generation());
            }
        }, "generation-watcher");
        watcher.start();

        try {
            writer.storeAll(domains, users);
        } finally {
            importing.set(false);
            watcher.join();
        }

        assertThat(other.generation()).isEqualTo(before + 1);
        assertThat(seen).as("the generation another node read while the import ran").isSubsetOf(before, before + 1);
        assertThat(other.listUserRoutings()).isEqualTo(users);
        assertThat(other.listDomainRoutings()).isEqualTo(domains);
        assertThat(other.userRouting(Username.of("user1@example.com"))).contains(users.get(Username.of("user1@example.com")));
    }

    @Test
    default void everyWriteShouldMoveTheGenerationByOneOnEveryNodeAndTellItsWriter() {
        SharedSplitRoutingStore writer = openNode();
        SharedSplitRoutingStore other = openNode();
        Map<String, Consumer<SplitRoutingStore>> writes = ImmutableMap.<String, Consumer<SplitRoutingStore>>builder()
            .put("store a domain", store -> store.storeDomainRouting(EXAMPLE_COM, TO_PARTNER))
            .put("store a user", store -> store.storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses()))
            .put("import that stores and removes", store -> store.applyAll(
                ImmutableMap.of(EXAMPLE_COM, Optional.empty(), EXAMPLE_ORG, Optional.of(TO_TWO_RELAYS)),
                ImmutableMap.of(BOB, Optional.empty(), ALICE, Optional.of(UserRouting.internal()))))
            .put("delete a domain", store -> store.deleteDomainRouting(EXAMPLE_ORG))
            .put("delete a user", store -> store.deleteUserRouting(ALICE))
            .build();

        writes.forEach((write, apply) -> {
            long before = other.generation();

            apply.accept(writer);

            assertThat(other.generation()).as(write).isEqualTo(before + 1).isEqualTo(writer.generation());
            assertThat(writer.lastWriteMove()).as(write).hasValueSatisfying(move -> {
                assertThat(move.getBefore()).isEqualTo(before);
                assertThat(move.getAfter()).isEqualTo(before + 1);
            });
        });
        assertThat(other.listUserRoutings()).isEmpty();
        assertThat(other.listDomainRoutings()).isEmpty();
    }

    @Test
    default void aWriteWhoseCommitFailsShouldLeaveNothingVisible() throws Exception {
        SharedSplitRoutingStore writer = openNode();
        SharedSplitRoutingStore other = openNode();
        writer.storeUserRouting(BOB, UserRouting.internal());
        long before = other.generation();

        try (AutoCloseable refusing = refuseCommits()) {
            assertThatThrownBy(() -> writer.storeDomainRouting(EXAMPLE_COM, TO_PARTNER))
                .as("what WebAdmin answers").hasMessageContaining("split-routing settings of domain example.com");
        }

        assertThat(other.domainRouting(EXAMPLE_COM)).isEmpty();
        assertThat(writer.domainRouting(EXAMPLE_COM)).isEmpty();
        assertThat(other.generation()).isEqualTo(before);
        // Once the database takes commits again, so does the store.
        writer.storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
        assertThat(other.domainRouting(EXAMPLE_COM)).contains(TO_PARTNER);
        assertThat(other.generation()).isEqualTo(before + 1);
    }

    @Test
    default void anImportWhoseCommitFailsShouldLeaveNothingVisibleOnAnyNode() throws Exception {
        SharedSplitRoutingStore writer = openNode();
        writer.storeUserRouting(BOB, UserRouting.internal());
        long before = writer.generation();
        try (CachedSplitRoutingStore copyOfOther = new CachedSplitRoutingStore(openNode(), NEVER)) {
            try (AutoCloseable refusing = refuseCommits()) {
                assertThatThrownBy(() -> writer.storeAll(ImmutableMap.of(EXAMPLE_COM, TO_PARTNER), usersOfEveryKind(IMPORTED_USERS)))
                    .hasMessageContaining("split-routing settings of 1 domains and " + IMPORTED_USERS + " users");
            }
            copyOfOther.refresh();

            SharedSplitRoutingStore startedAfterwards = openNode();
            for (SplitRoutingStore node : ImmutableList.of(writer, copyOfOther, startedAfterwards)) {
                assertThat(node.listUserRoutings()).containsOnlyKeys(BOB);
                assertThat(node.userRouting(Username.of("user1@example.com"))).isEmpty();
                assertThat(node.listDomainRoutings()).isEmpty();
            }
            assertThat(startedAfterwards.generation()).isEqualTo(before);
        }
    }

    @Test
    default void aNodeShouldReadAnotherNodesWriteAsSoonAsItIsDone() {
        SharedSplitRoutingStore first = openNode();
        SharedSplitRoutingStore second = openNode();

        first.storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
        second.storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());

        assertThat(second.domainRouting(EXAMPLE_COM)).contains(TO_PARTNER);
        assertThat(first.listUserRoutings()).containsEntry(BOB, UserRouting.thirdPartyForAllAddresses());
        second.deleteDomainRouting(EXAMPLE_COM);
        assertThat(first.domainRouting(EXAMPLE_COM)).isEmpty();
        assertThat(first.generation()).isEqualTo(second.generation());
    }

    @Test
    default void anotherNodesCopyShouldShowAWriteAtItsNextRefresh() {
        try (CachedSplitRoutingStore copyOfFirst = new CachedSplitRoutingStore(openNode(), NEVER);
             CachedSplitRoutingStore copyOfSecond = new CachedSplitRoutingStore(openNode(), NEVER)) {
            copyOfFirst.storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
            assertThat(copyOfFirst.domainRouting(EXAMPLE_COM)).as("on the node that took it: at once").contains(TO_PARTNER);
            assertThat(copyOfSecond.domainRouting(EXAMPLE_COM)).isEmpty();

            copyOfSecond.refresh();

            assertThat(copyOfSecond.domainRouting(EXAMPLE_COM)).contains(TO_PARTNER);
        }
    }

    @Test
    default void anotherNodesCopyShouldShowAWriteWithinTheRefreshPeriod() {
        Duration period = CachedSplitRoutingStore.DEFAULT_REFRESH_PERIOD;
        try (CachedSplitRoutingStore copyOfFirst = new CachedSplitRoutingStore(openNode(), period);
             CachedSplitRoutingStore copyOfSecond = new CachedSplitRoutingStore(openNode(), period)) {
            copyOfFirst.storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
            copyOfFirst.storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());

            Awaitility.await().atMost(period.plus(RELOAD_ALLOWANCE)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
                assertThat(copyOfSecond.domainRouting(EXAMPLE_COM)).contains(TO_PARTNER);
                assertThat(copyOfSecond.userRouting(BOB)).contains(UserRouting.thirdPartyForAllAddresses());
            });
            copyOfSecond.deleteDomainRouting(EXAMPLE_COM);
            Awaitility.await().atMost(period.plus(RELOAD_ALLOWANCE)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(copyOfFirst.domainRouting(EXAMPLE_COM)).isEmpty());
        }
    }

    @Test
    default void aNodeShouldNotReloadForItsOwnWriteButForAnotherNodesInBetween() {
        AtomicInteger reloads = new AtomicInteger();
        SharedSplitRoutingStore countingReloads = new ForwardingSharedStore(openNode()) {
            @Override
            public Map<Username, UserRouting> listUserRoutings() {
                reloads.incrementAndGet();
                return super.listUserRoutings();
            }
        };
        SharedSplitRoutingStore other = openNode();
        try (CachedSplitRoutingStore copy = new CachedSplitRoutingStore(countingReloads, NEVER)) {
            reloads.set(0);

            copy.storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());
            copy.refresh();
            assertThat(reloads).as("after its own write").hasValue(0);

            other.storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
            copy.storeUserRouting(ALICE, UserRouting.internal());
            copy.refresh();
            assertThat(reloads).as("after another node wrote in between").hasValue(1);
            assertThat(copy.domainRouting(EXAMPLE_COM)).contains(TO_PARTNER);
        }
    }

    @Test
    default void aNodeStartedLaterShouldFindEverySettingAtTheSameGeneration() throws Exception {
        UserRouting chosen = UserRouting.thirdParty(ImmutableList.of(new MailAddress("bob@example.com"), new MailAddress("robert@example.com")));
        SharedSplitRoutingStore stopped = openNode();
        stopped.storeDomainRouting(EXAMPLE_COM, TO_TWO_RELAYS);
        stopped.storeUserRouting(BOB, chosen);
        long generation = stopped.generation();
        stop(stopped);

        SharedSplitRoutingStore restarted = openNode();

        assertThat(restarted.listDomainRoutings()).containsOnly(Map.entry(EXAMPLE_COM, TO_TWO_RELAYS));
        assertThat(restarted.userRouting(BOB)).contains(chosen);
        assertThat(restarted.generation()).isEqualTo(generation);
    }
}
