package org.splitdomain.settings;

import org.junit.jupiter.api.BeforeEach;

class MemorySplitRoutingStoreTest implements SplitRoutingStoreContract {
    private MemorySplitRoutingStore store;

    @BeforeEach
    void setUp() {
        store = new MemorySplitRoutingStore();
    }

    @Override
    public SplitRoutingStore store() {
        return store;
    }
}
