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

import java.util.Optional;

import org.apache.james.backends.cassandra.init.configuration.CassandraConfiguration;
import org.apache.james.backends.cassandra.components.CassandraTable.InitializationStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.relay.WakeClaims;
import org.splitdomain.relay.cassandra.CassandraWakeClaims;
import org.splitdomain.settings.SharedSplitRoutingStore;
import org.splitdomain.settings.cassandra.CassandraSettingsHistory;
import org.splitdomain.settings.cassandra.CassandraSplitRoutingStore;
import org.splitdomain.settings.history.SettingsHistory;
import org.splitdomain.settings.cassandra.CassandraSplitRoutingTables;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Provides;
import com.google.inject.Singleton;

/**
 * Split-routing settings in Cassandra, for the distributed flavour of James, shared by all its
 * nodes. Name it in {@code extensions.properties}:
 * {@code guice.extension.module=org.splitdomain.guice.CassandraSplitRoutingModule}.
 *
 * <p>James creates the tables of the {@code CassandraModule}s bound in its own injector, but it
 * loads extension modules in a child injector, where adding to that set fails. So this module
 * creates its tables itself, with James's {@code CassandraTableManager}, on the session James
 * opened: idempotent, a restarted node finds them and goes on.</p>
 *
 * <p>Start the first node alone on a new keyspace: before Cassandra 5.1, two coordinators
 * creating the same table at the same moment can disagree on its schema.</p>
 */
public class CassandraSplitRoutingModule extends AbstractModule {
    private static final Logger LOGGER = LoggerFactory.getLogger(CassandraSplitRoutingModule.class);

    @Override
    protected void configure() {
        bind(SharedSplitRoutingStore.class).to(CassandraSplitRoutingStore.class);
        install(new CachedSplitRoutingStoreModule());
    }

    @Provides
    @Singleton
    CassandraSplitRoutingStore store(CqlSession session, Injector injector) {
        InitializationStatus tables = CassandraSplitRoutingTables.createMissingTables(session);
        String keyspace = session.getKeyspace().map(CqlIdentifier::asInternal).orElse("(none)");
        if (tables == InitializationStatus.ALREADY_DONE) {
            LOGGER.debug("Split-routing tables already exist in keyspace {}", keyspace);
        } else {
            LOGGER.info("Created split-routing tables in keyspace {} ({})", keyspace, tables);
        }
        ConsistencyLevel consistency = consistencyLevel(injector);
        LOGGER.info("Split-routing settings are read and written at consistency level {}", consistency);
        return new CassandraSplitRoutingStore(session, consistency);
    }

    /** The relay engine's claims on its waiting room, shared by the nodes as the waiting room (a Cassandra mail repository) is. */
    @Provides
    @Singleton
    WakeClaims wakeClaims(CqlSession session) {
        CassandraWakeClaims.createTable(session);
        return new CassandraWakeClaims(session);
    }

    // After the store, which creates the history's table with its own.
    @Provides
    @Singleton
    SettingsHistory history(CassandraSplitRoutingStore store, CqlSession session, Injector injector) {
        return new CassandraSettingsHistory(session, consistencyLevel(injector));
    }

    /**
     * James's {@code cassandra.consistency_level.regular} (cassandra.properties) when James runs with a Cassandra
     * configuration, as the distributed flavour does; else QUORUM, James's default for it.
     */
    static ConsistencyLevel consistencyLevel(Injector injector) {
        return Optional.ofNullable(injector.getExistingBinding(Key.get(CassandraConfiguration.class)))
            .map(binding -> (ConsistencyLevel) DefaultConsistencyLevel.valueOf(binding.getProvider().get().getConsistencyLevelRegular()))
            .orElse(DefaultConsistencyLevel.QUORUM);
    }
}
