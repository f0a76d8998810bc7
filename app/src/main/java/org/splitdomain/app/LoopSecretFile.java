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
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import javax.xml.parsers.DocumentBuilderFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.NodeList;

/**
 * The loop secret a working directory's mailetcontainer.xml names ({@code <loopSecretFile>file://conf/...}): when the
 * configuration does not ship the file, one is made for this working directory and kept beside it (the configuration is
 * copied anew at every start), so that loop marks survive a restart, as the installation's own file would.
 */
final class LoopSecretFile {
    private static final Logger LOGGER = LoggerFactory.getLogger(LoopSecretFile.class);
    private static final String CONF_URL_PREFIX = "file://conf/";

    private LoopSecretFile() {
    }

    static void prepare(Path workingDirectory) {
        Path conf = workingDirectory.resolve("conf");
        try {
            NodeList files = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(conf.resolve("mailetcontainer.xml").toFile())
                .getElementsByTagName("loopSecretFile");
            for (int i = 0; i < files.getLength(); i++) {
                String url = files.item(i).getTextContent().trim();
                if (url.startsWith(CONF_URL_PREFIX) && !Files.exists(conf.resolve(url.substring(CONF_URL_PREFIX.length())))) {
                    provide(workingDirectory, url.substring(CONF_URL_PREFIX.length()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + conf.resolve("mailetcontainer.xml"), e);
        } catch (Exception e) {
            throw new IllegalArgumentException("Cannot read " + conf.resolve("mailetcontainer.xml") + ": " + e.getMessage(), e);
        }
    }

    private static void provide(Path workingDirectory, String name) throws IOException {
        Path kept = workingDirectory.resolve(name);
        if (!Files.exists(kept)) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            Files.writeString(kept, Base64.getEncoder().encodeToString(secret) + "\n", StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(kept, PosixFilePermissions.fromString("rw-------"));
            LOGGER.info("Made a loop secret for this working directory in {} (an installation makes its own once, "
                + "the same for every node: see the README's install steps)", kept);
        }
        Files.copy(kept, workingDirectory.resolve("conf").resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
