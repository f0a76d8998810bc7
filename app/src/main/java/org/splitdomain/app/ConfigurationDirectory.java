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
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;

/**
 * Lays out a James working directory ({@code <dir>/conf}) from a configuration directory such as
 * {@code james-conf/}, with the listening ports replaced as asked. The source directory is never changed.
 */
public final class ConfigurationDirectory {
    private static final Map<String, String> PORT_FILES = ImmutableMap.of(
        "smtp", "smtpserver.xml",
        "submission", "smtpserver.xml",
        "smtps", "smtpserver.xml",
        "imap", "imapserver.xml",
        "imaps", "imapserver.xml",
        "pop3", "pop3server.xml");

    /**
     * A resolver on loopback that is never asked about anything but IP literals: for runs that stay on
     * this machine (the demo, the tests), so James never waits on the host's DNS.
     */
    private static final String LOOPBACK_DNS = "<?xml version=\"1.0\"?>\n<dnsservice>\n"
        + "    <servers><server>127.0.0.1</server></servers>\n"
        + "    <autodiscover>false</autodiscover>\n    <authoritative>false</authoritative>\n"
        + "    <maxcachesize>50000</maxcachesize>\n</dnsservice>\n";

    private ConfigurationDirectory() {
    }

    public static Path prepare(Path configurationSource, Path workingDirectory, ServerPorts ports) {
        return prepare(configurationSource, workingDirectory, ports, Flavour.MEMORY, Optional.empty());
    }

    /**
     * Lays out {@code workingDirectory/conf} for a server of {@code flavour}: the files of {@code configurationSource},
     * then those of its {@code flavours/<flavour>/} folder over them when it has one (james-conf/ does), and for JPA the
     * database ({@code database}, else Derby under the working directory, unless the configuration names one).
     */
    public static Path prepare(Path configurationSource, Path workingDirectory, ServerPorts ports, Flavour flavour, Optional<String> database) {
        if (!Files.isRegularFile(configurationSource.resolve("mailetcontainer.xml"))) {
            throw new IllegalArgumentException("'" + configurationSource + "' is not a James configuration directory: it has no mailetcontainer.xml");
        }
        Path conf = workingDirectory.resolve("conf");
        try {
            Files.createDirectories(conf);
            copyFiles(configurationSource, conf);
            Path overlay = configurationSource.resolve("flavours").resolve(flavour.optionValue());
            if (Files.isDirectory(overlay)) {
                copyFiles(overlay, conf);
            }
            if (flavour == Flavour.JPA) {
                JpaDatabase.prepare(workingDirectory, database);
            }
            for (Map.Entry<String, String> portFile : PORT_FILES.entrySet()) {
                int standard = ServerPorts.STANDARD_PORTS.get(portFile.getKey());
                ports.replacementFor(portFile.getKey()).ifPresent(port ->
                    replace(conf.resolve(portFile.getValue()), ":" + standard + "</bind>", ":" + port + "</bind>"));
            }
            uniqueJmxNames(conf, workingDirectory.getFileName().toString());
            ports.replacementFor("webadmin").ifPresent(port ->
                replaceLine(conf.resolve("webadmin.properties"), "port=", "port=" + port));
            WebAdminAccess.prepare(workingDirectory);
            TlsKeystore.prepare(workingDirectory);
            LoopSecretFile.prepare(workingDirectory);
            return workingDirectory;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + workingDirectory + " from " + configurationSource, e);
        }
    }

    private static void copyFiles(Path from, Path conf) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Files.copy(file, conf.resolve(file.getFileName().toString()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    // Protocol servers register JMX beans under their jmxName: two servers in one JVM need distinct names.
    private static void uniqueJmxNames(Path conf, String instance) throws IOException {
        for (String file : ImmutableSet.copyOf(PORT_FILES.values())) {
            replace(conf.resolve(file), "<jmxName>", "<jmxName>" + instance + "-");
        }
        replace(conf.resolve("lmtpserver.xml"), "<jmxName>", "<jmxName>" + instance + "-");
        replace(conf.resolve("managesieveserver.xml"), "<jmxName>", "<jmxName>" + instance + "-");
    }

    /**
     * Prepares a working directory for a server that talks only to this machine (the demo, the tests):
     * every protocol server on loopback, and the loopback resolver.
     */
    public static Path prepareOnLoopback(Path configurationSource, Path workingDirectory, ServerPorts ports) {
        return prepareOnLoopback(configurationSource, workingDirectory, ports, Flavour.MEMORY);
    }

    public static Path prepareOnLoopback(Path configurationSource, Path workingDirectory, ServerPorts ports, Flavour flavour) {
        prepare(configurationSource, workingDirectory, ports, flavour, Optional.empty());
        overwrite(workingDirectory, "dnsservice.xml", LOOPBACK_DNS);
        bindTo(workingDirectory, "127.0.0.1");
        return workingDirectory;
    }

    /**
     * Makes the SMTP, submission, IMAP and POP3 servers that listen on every interface ({@code 0.0.0.0}) listen
     * on {@code address} only. WebAdmin keeps the {@code host} of its webadmin.properties (loopback in james-conf).
     */
    public static void bindTo(Path workingDirectory, String address) {
        Path conf = workingDirectory.resolve("conf");
        for (String file : ImmutableSet.copyOf(PORT_FILES.values())) {
            replace(conf.resolve(file), "<bind>0.0.0.0:", "<bind>" + address + ":");
        }
    }

    /** Replaces a whole configuration file, e.g. dnsservice.xml for a test resolver. */
    public static void overwrite(Path workingDirectory, String fileName, String content) {
        try {
            Files.writeString(workingDirectory.resolve("conf").resolve(fileName), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void replace(Path file, String from, String to) {
        if (!Files.exists(file)) {
            return;
        }
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8);
            Files.writeString(file, content.replace(from, to), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void replaceLine(Path file, String prefix, String line) {
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8);
            String replaced = content.lines()
                .map(existing -> existing.startsWith(prefix) ? line : existing)
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
            Files.writeString(file, replaced, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
