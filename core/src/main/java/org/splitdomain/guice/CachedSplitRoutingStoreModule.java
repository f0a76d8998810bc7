package org.splitdomain.guice;

import org.splitdomain.settings.CachedSplitRoutingStore;
import org.splitdomain.settings.SharedSplitRoutingStore;
import org.splitdomain.settings.SplitRoutingStore;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;

/**
 * Routing reads settings from this node's copy of the database store. Installed by the modules of
 * the database-backed flavours, which bind {@link SharedSplitRoutingStore}.
 */
public class CachedSplitRoutingStoreModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(CachedSplitRoutingStore.class).in(Scopes.SINGLETON);
        bind(SplitRoutingStore.class).to(CachedSplitRoutingStore.class);
    }
}
