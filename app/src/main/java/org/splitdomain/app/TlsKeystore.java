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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.XMLConfiguration;
import org.apache.commons.configuration2.builder.fluent.Configurations;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol servers of {@code james-conf/} offer STARTTLS with {@code conf/keystore}. A working directory
 * whose configuration names a keystore in {@code conf/} that does not exist gets a throwaway one, made by the
 * JDK's keytool (self-signed, for localhost and 127.0.0.1, with the {@code <secret>} the configuration gives),
 * so that the launcher, the demo and the tests start on a fresh machine. A keystore the operator put in the
 * configuration directory is never replaced.
 */
final class TlsKeystore {
    private static final Logger LOGGER = LoggerFactory.getLogger(TlsKeystore.class);
    private static final List<String> SERVER_FILES = List.of("smtpserver.xml", "imapserver.xml", "pop3server.xml", "lmtpserver.xml",
        "managesieveserver.xml");
    private static final String CONF_URL_PREFIX = "file://conf/";

    private TlsKeystore() {
    }

    static void prepare(Path workingDirectory) {
        Path conf = workingDirectory.resolve("conf");
        Map<Path, String> missing = new LinkedHashMap<>();
        for (String file : SERVER_FILES) {
            Path xml = conf.resolve(file);
            if (Files.exists(xml)) {
                missingKeystores(xml, conf, missing);
            }
        }
        missing.forEach(TlsKeystore::generate);
    }

    // Keystores in conf/ that an enabled server with TLS needs and that are not there, with their secret.
    private static void missingKeystores(Path xml, Path conf, Map<Path, String> missing) {
        try {
            XMLConfiguration configuration = new Configurations().xml(xml.toFile());
            // <smtpservers><smtpserver>...: each file holds servers named as the file.
            String serverElement = xml.getFileName().toString().replace(".xml", "");
            for (HierarchicalConfiguration<ImmutableNode> server : configuration.configurationsAt(serverElement)) {
                boolean tls = server.getBoolean("tls[@startTLS]", false) || server.getBoolean("tls[@socketTLS]", false);
                String keystore = server.getString("tls.keystore", "");
                if (server.getBoolean("[@enabled]", true) && tls && keystore.startsWith(CONF_URL_PREFIX)) {
                    Path file = conf.resolve(keystore.substring(CONF_URL_PREFIX.length()));
                    if (!Files.exists(file)) {
                        missing.putIfAbsent(file, server.getString("tls.secret", ""));
                    }
                }
            }
        } catch (ConfigurationException e) {
            throw new IllegalArgumentException("Cannot read " + xml + ": " + e.getMessage(), e);
        }
    }

    private static void generate(Path keystore, String secret) {
        if (secret.length() < 6) {
            throw new IllegalArgumentException("The <secret> of " + keystore.getFileName() + " must have at least 6 characters to make a keystore");
        }
        Path keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool");
        try {
            Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "james", "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "825", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", secret, "-keypass", secret)
                .redirectErrorStream(true)
                .start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool could not make " + keystore + ": " + output);
            }
            LOGGER.info("Made a throwaway self-signed TLS keystore {} (put your own there in production)", keystore);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + keytool + " to make " + keystore, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while making " + keystore, e);
        }
    }
}
