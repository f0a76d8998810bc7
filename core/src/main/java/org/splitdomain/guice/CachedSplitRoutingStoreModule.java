package org.splitdomain.guice;

import org.splitdomain.settings.CachedSplitRoutingStore;
import org.splitdomain.settings.SharedSplitRoutingStore;
import org.splitdomain.settings.SplitRoutingStore;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;

/**
 * Routing reads settings from this node's copy of the database store. Installed by the modules of
 * the database-backed flavours, which bind {@link SharedSplitRoutingStore}.
 */
public class CachedSplitRoutingStoreModule extends AbstractModule {
    @Provides
    @Singleton
    CachedSplitRoutingStore cachedStore(SharedSplitRoutingStore shared) {
        return new CachedSplitRoutingStore(shared, CachedSplitRoutingStore.DEFAULT_REFRESH_PERIOD);
    }

    @Provides
    @Singleton
    SplitRoutingStore store(CachedSplitRoutingStore cached) {
        return cached;
    }
}
