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
package org.splitdomain.app.distributed;

import java.io.FileNotFoundException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;

import javax.inject.Named;
import javax.inject.Singleton;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.backends.cassandra.components.CassandraModule;
import org.apache.james.backends.cassandra.init.CassandraTableManager;
import org.apache.james.backends.cassandra.init.CassandraTypesCreator;
import org.apache.james.backends.cassandra.init.CassandraTypesProvider;
import org.apache.james.backends.cassandra.init.configuration.CassandraConfiguration;
import org.apache.james.utils.PropertiesProvider;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.multibindings.Multibinder;

/**
 * Stands for James's {@code org.apache.james.modules.mailbox.CassandraSessionModule} (not on Maven Central): one
 * session on the keyspace of {@code cassandra.properties}, with the tables of every bound {@link CassandraModule}
 * created as James creates them at start-up (types first, then tables; what exists is left alone).
 *
 * <pre>
 * cassandra.nodes=127.0.0.1:9042
 * cassandra.keyspace=apache_james
 * cassandra.local.dc=datacenter1
 * </pre>
 */
public class CassandraSessionModule extends AbstractModule {
    public static final String CASSANDRA = "cassandra";

    @Override
    protected void configure() {
        Multibinder.newSetBinder(binder(), CassandraModule.class);
        bind(CassandraConfiguration.class).toInstance(CassandraConfiguration.DEFAULT_CONFIGURATION);
    }

    @Provides
    @Singleton
    @Named(CASSANDRA)
    Configuration configuration(PropertiesProvider propertiesProvider) throws ConfigurationException {
        try {
            return propertiesProvider.getConfiguration(CASSANDRA);
        } catch (FileNotFoundException e) {
            throw new ConfigurationException("conf/cassandra.properties is missing: the distributed flavour needs cassandra.nodes and cassandra.keyspace", e);
        }
    }

    @Provides
    @Singleton
    CqlSession session(@Named(CASSANDRA) Configuration configuration, Set<CassandraModule> modules) {
        String[] node = configuration.getString("cassandra.nodes").split(":");
        CqlSession session = CqlSession.builder()
            .addContactPoint(new InetSocketAddress(node[0], Integer.parseInt(node[1])))
            .withLocalDatacenter(configuration.getString("cassandra.local.dc", "datacenter1"))
            .withKeyspace(CqlIdentifier.fromCql(configuration.getString("cassandra.keyspace")))
            .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                .build())
            .build();
        CassandraModule all = CassandraModule.aggregateModules(modules);
        new CassandraTypesCreator(all, session).initializeTypes();
        new CassandraTableManager(all, session).initializeTables(new CassandraTypesProvider(session));
        return session;
    }

    @Provides
    @Singleton
    CassandraTypesProvider types(CqlSession session) {
        return new CassandraTypesProvider(session);
    }
}
