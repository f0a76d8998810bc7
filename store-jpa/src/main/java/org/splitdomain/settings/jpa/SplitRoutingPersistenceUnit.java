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
package org.splitdomain.settings.jpa;

import java.net.URL;
import java.util.HashMap;
import java.util.List;
import java.util.Properties;

import javax.persistence.EntityManagerFactory;
import javax.persistence.SharedCacheMode;
import javax.persistence.ValidationMode;
import javax.persistence.spi.ClassTransformer;
import javax.persistence.spi.PersistenceUnitInfo;
import javax.persistence.spi.PersistenceUnitTransactionType;
import javax.sql.DataSource;

import org.apache.openjpa.persistence.PersistenceProviderImpl;
import org.splitdomain.settings.jpa.model.JPADomainRouting;
import org.splitdomain.settings.jpa.model.JPARoutingGeneration;
import org.splitdomain.settings.jpa.model.JPASettingsChange;
import org.splitdomain.settings.jpa.model.JPAUserRouting;

import com.google.common.collect.ImmutableList;

/**
 * Our own persistence unit, described in code instead of a {@code META-INF/persistence.xml}.
 *
 * <p>James loads extension modules in a child Guice injector and their classes through a class
 * loader of its own ({@code extensions-jars}): we can neither add our entities to James's "Global"
 * unit nor count on the thread context class loader, which does not see them. A unit handed to
 * the provider carries its class loader ({@link #getClassLoader()}), and OpenJPA then resolves
 * our entities through that loader only. It also lists its entities, so OpenJPA scans nothing
 * and our unit never picks up James's entities sharing the database.</p>
 */
final class SplitRoutingPersistenceUnit implements PersistenceUnitInfo {
    static final String NAME = "SplitDomainRouting";
    private static final List<String> ENTITIES = ImmutableList.of(
        JPADomainRouting.class.getName(),
        JPAUserRouting.class.getName(),
        JPARoutingGeneration.class.getName(),
        JPASettingsChange.class.getName());

    static EntityManagerFactory createEntityManagerFactory(SplitRoutingDatabaseConfiguration configuration) {
        // The provider removes entries from this map, so it must be mutable.
        return new PersistenceProviderImpl()
            .createContainerEntityManagerFactory(new SplitRoutingPersistenceUnit(configuration), new HashMap<>());
    }

    private final Properties properties = new Properties();

    private SplitRoutingPersistenceUnit(SplitRoutingDatabaseConfiguration configuration) {
        properties.setProperty("openjpa.Log", "slf4j");
        properties.putAll(configuration.openJpaProperties());
        // OpenJPA shuts an embedded Derby down when a factory on it closes, which would cut James's
        // own connections to the database the moment ours closes.
        if (configuration.openJpaProperties().getOrDefault("openjpa.ConnectionDriverName", "").contains("EmbeddedDriver")) {
            properties.putIfAbsent("openjpa.jdbc.DBDictionary", "derby(ShutdownOnClose=false)");
        }
        // Our tables are created on first start, next to James's, and get new columns when an upgrade adds some.
        properties.setProperty("openjpa.jdbc.SynchronizeMappings", "buildSchema(ForeignKeys=true)");
        properties.setProperty("openjpa.jdbc.SchemaFactory", "native(ForeignKeys=true)");
        // No foreign key on the collection tables (forwarded addresses, relays): the store removes a user's or a domain's
        // rows itself, and checking the key row by row made an import of a million users three times slower.
        properties.setProperty("openjpa.jdbc.MappingDefaults", "ForeignKeyDeleteAction=cascade");
        // Other nodes write too: a cache here would hide their writes, the generation first of all.
        properties.setProperty("openjpa.DataCache", "false");
        properties.setProperty("openjpa.QueryCache", "false");
    }

    @Override
    public String getPersistenceUnitName() {
        return NAME;
    }

    @Override
    public String getPersistenceProviderClassName() {
        return PersistenceProviderImpl.class.getName();
    }

    @Override
    public PersistenceUnitTransactionType getTransactionType() {
        return PersistenceUnitTransactionType.RESOURCE_LOCAL;
    }

    @Override
    public DataSource getJtaDataSource() {
        return null;
    }

    @Override
    public DataSource getNonJtaDataSource() {
        return null;
    }

    @Override
    public List<String> getMappingFileNames() {
        return List.of();
    }

    @Override
    public List<URL> getJarFileUrls() {
        return List.of();
    }

    @Override
    public URL getPersistenceUnitRootUrl() {
        return null;
    }

    @Override
    public List<String> getManagedClassNames() {
        return ENTITIES;
    }

    @Override
    public boolean excludeUnlistedClasses() {
        return true;
    }

    @Override
    public SharedCacheMode getSharedCacheMode() {
        return SharedCacheMode.NONE;
    }

    @Override
    public ValidationMode getValidationMode() {
        return ValidationMode.NONE;
    }

    @Override
    public Properties getProperties() {
        return properties;
    }

    @Override
    public String getPersistenceXMLSchemaVersion() {
        return "2.2";
    }

    @Override
    public ClassLoader getClassLoader() {
        return SplitRoutingPersistenceUnit.class.getClassLoader();
    }

    // The entities are enhanced at build time (openjpa-maven-plugin): nothing to transform at load time.
    @Override
    public void addTransformer(ClassTransformer transformer) {
    }

    @Override
    public ClassLoader getNewTempClassLoader() {
        return getClassLoader();
    }
}
