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

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.configuration2.Configuration;

import com.google.common.base.Strings;
import com.google.common.collect.ImmutableMap;

/**
 * Where James's JPA flavour keeps its data, read from James's own {@code james-database.properties}
 * with the keys and meaning James gives them (its {@code JPAEntityManagerModule}), so that the
 * settings live in the database James uses, whatever it is, with the same credentials and pool
 * settings. James's {@code JPAConfiguration} itself is out of reach: its artifact is not on Maven Central.
 */
public final class SplitRoutingDatabaseConfiguration {
    public static final String FILE_NAME = "james-database";
    static final String DRIVER = "database.driverClassName";
    static final String URL = "database.url";
    static final String USERNAME = "database.username";
    static final String PASSWORD = "database.password";
    private static final String DATASOURCE_PREFIX = "datasource";
    private static final String OPENJPA_PREFIX = "openjpa";
    private static final String MULTITHREADED = "openjpa.Multithreaded";

    public static SplitRoutingDatabaseConfiguration from(Configuration configuration) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("openjpa.ConnectionProperties", String.join(",", connectionProperties(configuration)));
        // As James does: its openjpa.* settings override everything but the connection itself.
        keysWithPrefix(configuration, OPENJPA_PREFIX)
            .forEach(key -> properties.put(key, configuration.getString(key)));
        properties.putIfAbsent(MULTITHREADED, "true");
        properties.put("openjpa.ConnectionDriverName", mandatory(configuration, DRIVER));
        String url = mandatory(configuration, URL);
        properties.put("openjpa.ConnectionURL", url);
        credentials(configuration).ifPresent(credentials -> {
            properties.put("openjpa.ConnectionUserName", credentials.username());
            properties.put("openjpa.ConnectionPassword", credentials.password());
        });
        return new SplitRoutingDatabaseConfiguration(ImmutableMap.copyOf(properties), url);
    }

    private static String mandatory(Configuration configuration, String key) {
        String value = configuration.getString(key, null);
        if (Strings.isNullOrEmpty(value) || value.isBlank()) {
            throw new IllegalArgumentException("'" + key + "' is a mandatory property of " + FILE_NAME + ".properties");
        }
        return value.trim();
    }

    private record Credentials(String username, String password) {
    }

    private static Optional<Credentials> credentials(Configuration configuration) {
        String username = Strings.nullToEmpty(configuration.getString(USERNAME, null)).trim();
        String password = Strings.nullToEmpty(configuration.getString(PASSWORD, null));
        if (username.isEmpty() && password.isBlank()) {
            return Optional.empty();
        }
        if (username.isEmpty() || password.isBlank()) {
            throw new IllegalArgumentException("'" + USERNAME + "' and '" + PASSWORD + "' of " + FILE_NAME
                + ".properties must be both set or both empty");
        }
        return Optional.of(new Credentials(username, password));
    }

    // OpenJPA hands these to its connection pool (DBCP), as James does for its own pool.
    private static List<String> connectionProperties(Configuration configuration) {
        List<String> connectionProperties = new ArrayList<>();
        connectionProperties.add("TestOnBorrow=" + configuration.getBoolean("datasource.testOnBorrow", false));
        for (String key : keysWithPrefix(configuration, DATASOURCE_PREFIX)) {
            String name = key.substring(DATASOURCE_PREFIX.length() + 1);
            switch (name) {
                case "testOnBorrow":
                    break;
                case "validationQueryTimeoutSec":
                    connectionProperties.add("ValidationTimeout=" + positiveInteger(configuration, key) * 1000L);
                    break;
                case "validationQuery":
                    connectionProperties.add("ValidationSQL='" + configuration.getString(key) + "'");
                    break;
                case "maxTotal":
                    connectionProperties.add("MaxTotal=" + maxTotal(configuration, key));
                    break;
                default:
                    connectionProperties.add(name + "=" + configuration.getString(key));
            }
        }
        return connectionProperties;
    }

    private static int positiveInteger(Configuration configuration, String key) {
        int value = integer(configuration, key);
        if (value <= 0) {
            throw new IllegalArgumentException("'" + key + "' of " + FILE_NAME + ".properties must be greater than 0, got " + value);
        }
        return value;
    }

    private static int maxTotal(Configuration configuration, String key) {
        int value = integer(configuration, key);
        if (value != -1 && value <= 0) {
            throw new IllegalArgumentException("'" + key + "' of " + FILE_NAME + ".properties must be -1 (no limit) or greater than 0, got " + value);
        }
        return value;
    }

    private static int integer(Configuration configuration, String key) {
        String value = configuration.getString(key);
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + key + "' of " + FILE_NAME + ".properties must be an integer, got '" + value + "'", e);
        }
    }

    private static List<String> keysWithPrefix(Configuration configuration, String prefix) {
        List<String> keys = new ArrayList<>();
        Iterator<String> iterator = configuration.getKeys(prefix);
        iterator.forEachRemaining(keys::add);
        return keys;
    }

    private final ImmutableMap<String, String> openJpaProperties;
    private final String url;

    private SplitRoutingDatabaseConfiguration(ImmutableMap<String, String> openJpaProperties, String url) {
        this.openJpaProperties = openJpaProperties;
        this.url = url;
    }

    /** Connection settings and James's own {@code openjpa.*} settings, as OpenJPA properties. */
    public ImmutableMap<String, String> openJpaProperties() {
        return openJpaProperties;
    }

    /** The JDBC URL without its attributes, which may hold a password: fit for logs. */
    public String databaseForLogs() {
        return url.split("[;?]", 2)[0];
    }

    @Override
    public String toString() {
        return databaseForLogs();
    }
}
