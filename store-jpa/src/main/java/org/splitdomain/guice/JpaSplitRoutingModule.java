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
package org.splitdomain.guice;

import java.io.FileNotFoundException;

import javax.inject.Singleton;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.utils.PropertiesProvider;
import org.splitdomain.relay.InProcessWakeClaims;
import org.splitdomain.relay.WakeClaims;
import org.splitdomain.settings.SharedSplitRoutingStore;
import org.splitdomain.settings.history.SettingsHistory;
import org.splitdomain.settings.jpa.JpaSettingsHistory;
import org.splitdomain.settings.jpa.JpaSplitRoutingStore;
import org.splitdomain.settings.jpa.SplitRoutingDatabaseConfiguration;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;

/**
 * Split-routing settings in the database of James's JPA flavour, shared by every node on it; each
 * node routes from its own copy, reloaded when another node writes. Name it in
 * {@code extensions.properties}: {@code guice.extension.module=org.splitdomain.guice.JpaSplitRoutingModule}.
 *
 * <p>James installs extension modules in a child injector, where its own persistence unit is out
 * of reach: the store opens an entity manager factory of its own on the database named by
 * {@code james-database.properties}.</p>
 */
public class JpaSplitRoutingModule extends AbstractModule {
    @Override
    protected void configure() {
        // James 3.8.1 never runs this store's own @PreDestroy: the node's copy (CachedSplitRoutingStore), whose
        // @PreDestroy it does run, closes it, pool included, when James stops.
        bind(JpaSplitRoutingStore.class).in(Scopes.SINGLETON);
        bind(SharedSplitRoutingStore.class).to(JpaSplitRoutingStore.class);
        install(new CachedSplitRoutingStoreModule());
        // The JPA flavour's mail queue is an ActiveMQ broker of each node's own: one node wakes the mail of its waiting room.
        bind(WakeClaims.class).to(InProcessWakeClaims.class).in(Scopes.SINGLETON);
    }

    @Provides
    @Singleton
    SettingsHistory history(JpaSplitRoutingStore store) {
        return new JpaSettingsHistory(store);
    }

    @Provides
    @Singleton
    SplitRoutingDatabaseConfiguration databaseConfiguration(PropertiesProvider propertiesProvider) throws FileNotFoundException,
            ConfigurationException {
        return SplitRoutingDatabaseConfiguration.from(propertiesProvider.getConfiguration(SplitRoutingDatabaseConfiguration.FILE_NAME));
    }
}
