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
