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
package org.splitdomain.jpaserver.modules;

import java.io.FileNotFoundException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.persistence.EntityManagerFactory;
import javax.persistence.Persistence;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.utils.PropertiesProvider;

import com.google.common.collect.ImmutableList;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;

/**
 * Stands for James's {@code org.apache.james.modules.data.JPAEntityManagerModule} with its {@code JPAConfiguration}
 * ({@code server/container/guice/jpa-common}): James's "Global" persistence unit (our {@code META-INF/persistence.xml},
 * as jpa-app's) on the database of {@code james-database.properties}, read with the keys and defaults James reads.
 */
public class JPAEntityManagerModule extends AbstractModule {
    static final String FILE_NAME = "james-database";
    private static final String PERSISTENCE_UNIT = "Global";
    // Datasource settings James maps to OpenJPA's connection properties under names of their own.
    private static final List<String> MAPPED_DATASOURCE_KEYS = ImmutableList.of(
        "testOnBorrow", "validationQueryTimeoutSec", "validationQuery", "maxTotal");

    @Provides
    @Singleton
    EntityManagerFactory entityManagerFactory(PropertiesProvider propertiesProvider) throws FileNotFoundException, ConfigurationException {
        return Persistence.createEntityManagerFactory(PERSISTENCE_UNIT, openJpaProperties(propertiesProvider.getConfiguration(FILE_NAME)));
    }

    static Map<String, String> openJpaProperties(Configuration database) {
        Map<String, String> properties = new HashMap<>();
        properties.put("openjpa.ConnectionDriverName", mandatory(database, "database.driverClassName"));
        properties.put("openjpa.ConnectionURL", mandatory(database, "database.url"));
        String username = database.getString("database.username", "");
        String password = database.getString("database.password", "");
        if (!username.isBlank() || !password.isBlank()) {
            if (username.isBlank() || password.isBlank()) {
                throw new IllegalArgumentException("'database.username' and 'database.password' of " + FILE_NAME
                    + ".properties must be both set or both empty");
            }
            properties.put("openjpa.ConnectionUserName", username);
            properties.put("openjpa.ConnectionPassword", password);
        }
        properties.put("openjpa.ConnectionProperties", String.join(",", connectionProperties(database)));
        database.getKeys("openjpa").forEachRemaining(key -> {
            if (!properties.containsKey(key)) {
                properties.put(key, database.getString(key));
            }
        });
        properties.put("openjpa.Multithreaded", String.valueOf(database.getBoolean("openjpa.Multithreaded", true)));
        return properties;
    }

    private static List<String> connectionProperties(Configuration database) {
        List<String> connection = new ArrayList<>();
        connection.add("TestOnBorrow=" + database.getBoolean("datasource.testOnBorrow", false));
        if (database.containsKey("datasource.validationQueryTimeoutSec")) {
            connection.add("ValidationTimeout=" + database.getInt("datasource.validationQueryTimeoutSec") * 1000);
        }
        if (database.containsKey("datasource.validationQuery")) {
            connection.add("ValidationSQL='" + database.getString("datasource.validationQuery") + "'");
        }
        if (database.containsKey("datasource.maxTotal")) {
            connection.add("MaxTotal=" + database.getInt("datasource.maxTotal"));
        }
        database.getKeys("datasource").forEachRemaining(key -> {
            String name = key.substring("datasource.".length());
            if (!MAPPED_DATASOURCE_KEYS.contains(name)) {
                connection.add(name + "=" + database.getString(key));
            }
        });
        return connection;
    }

    private static String mandatory(Configuration database, String key) {
        String value = database.getString(key, "");
        if (value.isBlank()) {
            throw new IllegalArgumentException("'" + key + "' is a mandatory property of " + FILE_NAME + ".properties");
        }
        return value.trim();
    }
}
