package org.splitdomain.settings;

import org.junit.jupiter.api.BeforeEach;

/** The memory flavour has one node: its writers are concurrent requests to that one store. */
class MemorySplitRoutingStoreTest implements SplitRoutingStoreContract, ConcurrentWritersContract {
    private MemorySplitRoutingStore store;

    @BeforeEach
    void setUp() {
        store = new MemorySplitRoutingStore();
    }

    @Override
    public SplitRoutingStore store() {
        return store;
    }

    @Override
    public SplitRoutingStore writer() {
        return store;
    }
}
