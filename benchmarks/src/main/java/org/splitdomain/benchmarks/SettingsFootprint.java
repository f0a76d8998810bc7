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
package org.splitdomain.benchmarks;

import java.util.ArrayList;
import java.util.List;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.splitdomain.settings.MemorySplitRoutingStore;
import org.splitdomain.settings.UserRouting;

import com.google.common.collect.ImmutableList;

/**
 * Heap bytes per stored third-party address in the memory store: N users with 2 chosen forwarded
 * addresses each, measured as the heap growth after full GCs. Prints one line: bytes per address.
 */
public final class SettingsFootprint {
    private SettingsFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        long before = usedHeap();
        MemorySplitRoutingStore store = new MemorySplitRoutingStore();
        List<Object> keep = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            store.storeUserRouting(Username.of("user" + i + "@example.com"), UserRouting.thirdParty(ImmutableList.of(
                new MailAddress("user" + i + "@example.com"), new MailAddress("alias-" + i + "@example.com"))));
        }
        keep.add(store);
        long after = usedHeap();
        System.out.printf("%d users, %d addresses: %.0f bytes per stored third-party address%n",
            users, 2L * users, (after - before) / (2.0 * users));
        if (keep.isEmpty()) {
            throw new IllegalStateException();
        }
    }

    private static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
