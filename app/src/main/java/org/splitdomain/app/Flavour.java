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

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.apache.james.GuiceJamesServer;
import org.apache.james.MemoryJamesConfiguration;
import org.apache.james.MemoryJamesServerMain;
import org.splitdomain.jpaserver.JPAJamesConfiguration;
import org.splitdomain.jpaserver.JPAJamesServerMain;

import com.google.inject.Module;

/**
 * The James server the launcher runs, as James's own applications compose it: {@code memory} (users, mailboxes,
 * settings and queued mail lost at a stop) or {@code jpa} (the official {@code apache/james:jpa-3.8.1} server: all of it
 * in a database, queued mail in ActiveMQ under the working directory, kept across a stop and a crash).
 */
public enum Flavour {
    MEMORY,
    JPA;

    public static Flavour parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--flavour must be one of " + Arrays.stream(values()).map(Flavour::optionValue)
                .collect(Collectors.joining(", ")) + ", got '" + name + "'");
        }
    }

    /** The name used on the command line and for the configuration overlay {@code <conf>/flavours/<name>/}. */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    GuiceJamesServer createServer(Path workingDirectory) {
        switch (this) {
            case JPA:
                return JPAJamesServerMain.createServer(JPAJamesConfiguration.forWorkingDirectory(workingDirectory.toFile()));
            case MEMORY:
            default:
                return MemoryJamesServerMain.createServer(MemoryJamesConfiguration.builder()
                    .workingDirectory(workingDirectory.toFile())
                    .build());
        }
    }

    /** A server of this flavour on a working directory whose {@code conf/} is ready, not started yet. */
    public GuiceJamesServer server(Path workingDirectory, Module... overrides) {
        return createServer(workingDirectory).overrideWith(overrides);
    }
}
