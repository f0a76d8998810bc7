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
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;

import org.apache.commons.configuration2.PropertiesConfiguration;
import org.apache.commons.configuration2.builder.fluent.Configurations;
import org.apache.commons.configuration2.ex.ConfigurationException;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.SignatureAlgorithm;

/**
 * WebAdmin is closed by James's JWT authentication in {@code james-conf/webadmin.properties}. A working
 * directory whose configuration asks for a public key it does not have gets a key pair of its own: the
 * public half in {@code conf/} where James reads it, the private half beside {@code conf/}, and an
 * administrator token in {@code <work>/webadmin.token}, so that the launcher and the demo run on a fresh
 * machine and print a token to use. A key the operator put in the configuration is never replaced, and no
 * token is made for it: its private half is the operator's.
 */
public final class WebAdminAccess {
    public static final String TOKEN_FILE = "webadmin.token";
    static final String PRIVATE_KEY_FILE = "webadmin-jwt-private.pem";
    private static final String CONF_URL_PREFIX = "file://conf/";
    public static final String ADMINISTRATOR = "admin@localhost";

    private WebAdminAccess() {
    }

    /** Makes the key pair and the token {@code workingDirectory/conf/webadmin.properties} needs; nothing when JWT is off. */
    static void prepare(Path workingDirectory) {
        Path conf = workingDirectory.resolve("conf");
        Optional<Path> publicKey = generatedPublicKey(conf);
        if (publicKey.isEmpty()) {
            return;
        }
        Path privateKeyFile = workingDirectory.resolve(PRIVATE_KEY_FILE);
        try {
            PrivateKey privateKey;
            if (Files.exists(publicKey.get()) && Files.exists(privateKeyFile)) {
                privateKey = readPrivateKey(privateKeyFile);
            } else if (Files.exists(publicKey.get())) {
                return;
            } else {
                KeyPair pair = newKeyPair();
                writePrivate(privateKeyFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
                Files.writeString(publicKey.get(), pem("PUBLIC KEY", pair.getPublic().getEncoded()), StandardCharsets.US_ASCII);
                privateKey = pair.getPrivate();
            }
            writePrivate(workingDirectory.resolve(TOKEN_FILE), administratorToken(privateKey) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare WebAdmin's key in " + workingDirectory, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot prepare WebAdmin's key in " + workingDirectory + ": " + e.getMessage(), e);
        }
    }

    /** The token of a working directory {@link #prepare} made one for. */
    public static Optional<String> token(Path workingDirectory) {
        Path file = workingDirectory.resolve(TOKEN_FILE);
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.US_ASCII).trim()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // The key file named by jwt.publickeypem.url when JWT is on and the key lives in conf/, where we may make it.
    private static Optional<Path> generatedPublicKey(Path conf) {
        Path properties = conf.resolve("webadmin.properties");
        if (!Files.exists(properties)) {
            return Optional.empty();
        }
        try {
            PropertiesConfiguration configuration = new Configurations().properties(properties.toFile());
            if (!configuration.getBoolean("enabled", false) || !configuration.getBoolean("jwt.enabled", false)) {
                return Optional.empty();
            }
            return Optional.ofNullable(configuration.getString("jwt.publickeypem.url", null))
                .filter(url -> url.startsWith(CONF_URL_PREFIX))
                .map(url -> conf.resolve(url.substring(CONF_URL_PREFIX.length())));
        } catch (ConfigurationException e) {
            throw new IllegalArgumentException("Cannot read " + properties + ": " + e.getMessage(), e);
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    // No expiry: the token is as long-lived as the key beside it; delete both to revoke it.
    private static String administratorToken(PrivateKey key) {
        return Jwts.builder()
            .setSubject(ADMINISTRATOR)
            .claim("admin", true)
            .signWith(key, SignatureAlgorithm.RS256)
            .compact();
    }

    private static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
        String base64 = Files.readString(file, StandardCharsets.US_ASCII)
            .replaceAll("-----[A-Z ]+-----", "")
            .replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
            + "\n-----END " + type + "-----\n";
    }

    // Only the owner may read what lets anyone administer this server.
    private static void writePrivate(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, content, StandardCharsets.US_ASCII);
    }
}
