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
package org.splitdomain.settings;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.filesystem.api.FileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;

/**
 * The secrets relays are authenticated with, kept out of the settings: the settings name a
 * credential, this James configuration file holds it.
 *
 * <pre>
 * # conf/split-relay-credentials.properties
 * partner-cloud.username=relay@example.com
 * partner-cloud.password=s3cret
 * </pre>
 *
 * <p>The file is read again whenever it changed, so a rotated password is used from the next
 * connection on, without a restart. Its content is never logged nor answered by WebAdmin.</p>
 */
@Singleton
public class RelayCredentials {
    public static final String LOCATION = "conf/split-relay-credentials.properties";
    private static final Logger LOGGER = LoggerFactory.getLogger(RelayCredentials.class);
    private static final String USERNAME = ".username";
    private static final String PASSWORD = ".password";

    /** A user name and its password; {@link #toString()} never shows the password. */
    public static final class Credential {
        private final String username;
        private final String password;

        public Credential(String username, String password) {
            this.username = username;
            this.password = password;
        }

        public String getUsername() {
            return username;
        }

        public String getPassword() {
            return password;
        }

        @Override
        public String toString() {
            return "Credential{username=" + username + ", password=***}";
        }
    }

    private final Optional<File> file;
    private volatile Snapshot snapshot = new Snapshot(-1, ImmutableMap.of());

    @Inject
    public RelayCredentials(FileSystem fileSystem) {
        this(locate(fileSystem));
    }

    public RelayCredentials(Optional<File> file) {
        this.file = file;
    }

    private static Optional<File> locate(FileSystem fileSystem) {
        try {
            return Optional.of(fileSystem.getFile(FileSystem.FILE_PROTOCOL + LOCATION));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }

    public Optional<Credential> credential(String name) {
        return Optional.ofNullable(current().credentials.get(name));
    }

    public Set<String> names() {
        return current().credentials.keySet();
    }

    /** Refuses settings that name a credential the file does not define, so a typo is caught when it is made. */
    public DomainRouting checkDefined(DomainRouting routing) {
        for (RelayHost relay : routing.getRelays()) {
            relay.getCredential()
                .filter(name -> credential(name).isEmpty())
                .ifPresent(name -> {
                    throw new IllegalArgumentException("relay '" + relay.asString() + "': credential '" + name
                        + "' is not defined in " + LOCATION + " (expected " + name + USERNAME + " and " + name + PASSWORD + ")");
                });
        }
        return routing;
    }

    private Snapshot current() {
        long modified = file.filter(File::isFile).map(File::lastModified).orElse(0L);
        Snapshot known = snapshot;
        if (known.modified == modified) {
            return known;
        }
        Snapshot read = new Snapshot(modified, read());
        snapshot = read;
        return read;
    }

    private ImmutableMap<String, Credential> read() {
        if (file.isEmpty() || !file.get().isFile()) {
            return ImmutableMap.of();
        }
        Properties properties = new Properties();
        try (InputStream input = Files.newInputStream(file.get().toPath())) {
            properties.load(input);
        } catch (IOException e) {
            LOGGER.error("Cannot read the relay credentials file {}: relays naming a credential are not authenticated, their mail waits",
                file.get(), e);
            return ImmutableMap.of();
        }
        ImmutableMap.Builder<String, Credential> credentials = ImmutableMap.builder();
        Set<String> names = properties.stringPropertyNames().stream()
            .filter(key -> key.endsWith(USERNAME))
            .map(key -> key.substring(0, key.length() - USERNAME.length()))
            .collect(ImmutableSet.toImmutableSet());
        for (String name : names) {
            String password = properties.getProperty(name + PASSWORD);
            if (password == null) {
                LOGGER.warn("Relay credentials file {}: credential '{}' has no {} line; it is ignored", file.get(), name, name + PASSWORD);
                continue;
            }
            credentials.put(name, new Credential(properties.getProperty(name + USERNAME).trim(), password));
        }
        ImmutableMap<String, Credential> result = credentials.build();
        LOGGER.info("Relay credentials read from {}: {}", file.get(), result.keySet());
        return result;
    }

    private static final class Snapshot {
        private final long modified;
        private final ImmutableMap<String, Credential> credentials;

        private Snapshot(long modified, ImmutableMap<String, Credential> credentials) {
            this.modified = modified;
            this.credentials = credentials;
        }
    }
}
