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
package org.splitdomain.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The database of a JPA James started by the launcher: {@code conf/james-database.properties}, read by James and by
 * our settings store alike. Without one, embedded Derby under {@code <work>/var/store/derby}, as the JPA image ships it;
 * {@code --database jdbc:postgresql://host/db?user=james&password=...} puts everything in PostgreSQL instead.
 */
final class JpaDatabase {
    static final String FILE_NAME = "james-database.properties";
    private static final String DERBY_LOG = "derby.stream.error.file";

    private JpaDatabase() {
    }

    /** Writes {@code conf/james-database.properties} for {@code jdbcUrl}, or for Derby in the working directory when the configuration has none. */
    static void prepare(Path workingDirectory, Optional<String> jdbcUrl) {
        logDerbyInWorkingDirectory(workingDirectory);
        Path file = workingDirectory.resolve("conf").resolve(FILE_NAME);
        if (jdbcUrl.isEmpty() && Files.exists(file)) {
            return;
        }
        String url = jdbcUrl.orElse("jdbc:derby:" + workingDirectory.toAbsolutePath().resolve("var/store/derby") + ";create=true");
        String content = "# Written by the split-domain launcher (--flavour jpa" + jdbcUrl.map(given -> " --database").orElse("") + ").\n"
            + "database.driverClassName=" + driverFor(url) + "\n"
            + "database.url=" + url + "\n"
            + (url.startsWith("jdbc:derby:") ? "database.username=app\ndatabase.password=app\n" : "");
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    // Embedded Derby writes derby.log in the directory the launcher was started from unless told: beside its store instead.
    private static void logDerbyInWorkingDirectory(Path workingDirectory) {
        if (System.getProperty(DERBY_LOG) != null) {
            return;
        }
        Path var = workingDirectory.toAbsolutePath().resolve("var");
        try {
            Files.createDirectories(var);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + var, e);
        }
        System.setProperty(DERBY_LOG, var.resolve("derby.log").toString());
    }

    static String driverFor(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:derby:")) {
            return "org.apache.derby.jdbc.EmbeddedDriver";
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return "org.postgresql.Driver";
        }
        throw new IllegalArgumentException("--database takes a jdbc:derby:... or jdbc:postgresql://... URL, got '"
            + jdbcUrl.split("[?;]", 2)[0] + "'");
    }
}
