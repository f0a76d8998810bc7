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
import static org.splitdomain.settings.SplitRoutingStoreContract.EXAMPLE_COM;
import static org.splitdomain.settings.SplitRoutingStoreContract.TO_PARTNER;
import static org.splitdomain.settings.SplitRoutingStoreContract.TO_TWO_RELAYS;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.james.core.Username;
import org.junit.jupiter.api.Test;

/**
 * What a store must do when writers use it at the same moment (two WebAdmin requests, two James nodes): each write
 * lands, or is refused with an error, and leaves nothing; none is lost without a word.
 */
public interface ConcurrentWritersContract {
    /**
     * A writer of the store under test: on a database store, one more James node on its database; on a store that one
     * node holds (memory), that store itself.
     */
    SplitRoutingStore writer();

    /** The generation another node reads now, on a store that has one: each landed write moves it by exactly one. */
    default OptionalLong generationSeenByAnotherNode() {
        return OptionalLong.empty();
    }

    @Test
    default void concurrentWritersShouldEachLandOrBeRefusedWithAnError() {
        List<SplitRoutingStore> writers = List.of(writer(), writer());
        OptionalLong before = generationSeenByAnotherNode();
        // The first half write the same new domain from both writers (two first inserts of one key), the second half a user each.
        int writes = 40;
        Map<Integer, RuntimeException> refused = new ConcurrentHashMap<>();
        runConcurrently(writes, index -> {
            SplitRoutingStore writer = writers.get(index % 2);
            try {
                if (index < writes / 2) {
                    writer.storeDomainRouting(EXAMPLE_COM, index % 2 == 0 ? TO_PARTNER : TO_TWO_RELAYS);
                } else {
                    writer.storeUserRouting(concurrentUser(index), UserRouting.thirdPartyForAllAddresses());
                }
            } catch (RuntimeException e) {
                refused.put(index, e);
            }
        });

        SplitRoutingStore reader = writer();
        List<Integer> landedUsers = IntStream.range(writes / 2, writes).filter(index -> !refused.containsKey(index)).boxed().collect(Collectors.toList());
        assertThat(reader.listUserRoutings()).as("every user write that returned, and only those")
            .containsOnlyKeys(landedUsers.stream().map(ConcurrentWritersContract::concurrentUser).collect(Collectors.toList()));
        assertThat(refused.values()).as("a refused write says why").allSatisfy(error -> assertThat(error).hasMessageContaining("split-routing"));
        assertThat(reader.domainRouting(EXAMPLE_COM).orElseThrow()).isIn(TO_PARTNER, TO_TWO_RELAYS);
        before.ifPresent(generation -> assertThat(generationSeenByAnotherNode()).as("one move per landed write, none lost")
            .hasValue(generation + writes - refused.size()));
        // Writers queue (a lock, a retried commit): at this load no store refuses any.
        assertThat(refused).as("writes refused").isEmpty();
    }

    private static Username concurrentUser(int index) {
        return Username.of("user" + index + "@example.com");
    }

    /** Runs {@code writes} calls of {@code write}, four at a time, and returns once all have. */
    static void runConcurrently(int writes, IntConsumer write) {
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
