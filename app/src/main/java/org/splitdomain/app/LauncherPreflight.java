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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.PropertiesConfiguration;
import org.apache.commons.configuration2.XMLConfiguration;
import org.apache.commons.configuration2.builder.fluent.Configurations;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;

import com.google.common.base.Throwables;
import com.google.common.collect.ImmutableList;

/**
 * What the launcher checks of a prepared working directory before James starts, so that a mistake is one line naming
 * the file or the port, and an exit, never a hang: James 3.8.1's WebAdmin waits forever for a port another process
 * holds (Spark's awaitInitialization), and a configuration file James cannot read surfaces as a long stack trace.
 */
final class LauncherPreflight {
    private static final List<String> SERVER_FILES = ImmutableList.of("smtpserver.xml", "imapserver.xml", "pop3server.xml",
        "lmtpserver.xml", "managesieveserver.xml");

    /** A port a server of this configuration will listen on. */
    record ListeningPort(String file, String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port + " (" + file + ")";
        }
    }

    private LauncherPreflight() {
    }

    /** The first problem found, in words an operator acts on. */
    static Optional<String> problem(Path workingDirectory) {
        Path conf = workingDirectory.resolve("conf");
        try {
            Optional<String> unreadable = unreadableFile(conf);
            if (unreadable.isPresent()) {
                return unreadable;
            }
            for (ListeningPort port : listeningPorts(conf)) {
                Optional<String> taken = taken(port);
                if (taken.isPresent()) {
                    return taken;
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot read " + conf + ": " + e.getMessage());
        }
    }

    private static Optional<String> unreadableFile(Path conf) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(conf)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!Files.isRegularFile(file) || !(name.endsWith(".xml") || name.endsWith(".properties"))) {
                    continue;
                }
                if (!Files.isReadable(file)) {
                    return Optional.of(file + " cannot be read (permissions)");
                }
                try {
                    if (name.endsWith(".xml")) {
                        new Configurations().xml(file.toFile());
                    } else {
                        new Configurations().properties(file.toFile());
                    }
                } catch (ConfigurationException e) {
                    return Optional.of(file + " cannot be read: " + Throwables.getRootCause(e).getMessage());
                }
            }
        }
        return Optional.empty();
    }

    static List<ListeningPort> listeningPorts(Path conf) {
        List<ListeningPort> ports = new ArrayList<>();
        try {
            for (String file : SERVER_FILES) {
                Path xml = conf.resolve(file);
                if (!Files.exists(xml)) {
                    continue;
                }
                XMLConfiguration configuration = new Configurations().xml(xml.toFile());
                if (!configuration.getBoolean("[@enabled]", true)) {
                    continue;
                }
                String server = file.replace(".xml", "");
                List<HierarchicalConfiguration<ImmutableNode>> servers = configuration.configurationsAt(server);
                for (HierarchicalConfiguration<ImmutableNode> each : servers.isEmpty() ? List.of(configuration) : servers) {
                    String bind = each.getString("bind", "");
                    if (each.getBoolean("[@enabled]", true) && bind.lastIndexOf(':') > 0) {
                        ports.add(new ListeningPort(file, bind.substring(0, bind.lastIndexOf(':')).trim(),
                            Integer.parseInt(bind.substring(bind.lastIndexOf(':') + 1).trim())));
                    }
                }
            }
            Path webAdmin = conf.resolve("webadmin.properties");
            if (Files.exists(webAdmin)) {
                PropertiesConfiguration configuration = new Configurations().properties(webAdmin.toFile());
                if (configuration.getBoolean("enabled", false)) {
                    ports.add(new ListeningPort("webadmin.properties", configuration.getString("host", "localhost"), configuration.getInt("port")));
                }
            }
        } catch (ConfigurationException | RuntimeException e) {
            // An unreadable file was reported before; a value James will refuse is James's to name.
            return ports;
        }
        return ports;
    }

    private static Optional<String> taken(ListeningPort port) {
        if (port.port() == 0) {
            return Optional.empty();
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(port.host()), port.port()));
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("port " + port.port() + " of " + port.file() + " (" + port.host() + ":" + port.port() + ") cannot be listened on: "
                + e.getMessage() + "; free it, or give another with --ports");
        }
    }
}
