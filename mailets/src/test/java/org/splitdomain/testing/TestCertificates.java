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
package org.splitdomain.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.google.common.collect.ImmutableList;

/**
 * Certificates made with the JDK's keytool for TLS tests: a self-signed server certificate, or a
 * test certificate authority, a server certificate it signs and a trust store holding it.
 */
public final class TestCertificates {
    public static final String PASSWORD = "test-secret";

    private final Path directory;

    public static TestCertificates create() throws IOException {
        return new TestCertificates(Files.createTempDirectory("split-domain-certificates"));
    }

    private TestCertificates(Path directory) {
        this.directory = directory;
    }

    /** A server certificate that nobody signed, for {@code 127.0.0.1}; made once per name. */
    public Path selfSigned(String name) throws Exception {
        Path keystore = directory.resolve(name + ".p12");
        if (Files.exists(keystore)) {
            return keystore;
        }
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
            "-dname", "CN=" + name, "-ext", "SAN=ip:127.0.0.1,ip:127.0.0.2,dns:localhost",
            "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        return keystore;
    }

    /**
     * A certificate authority and a server certificate it signed for {@code subjectAlternativeNames}
     * (keytool syntax, e.g. {@code ip:127.0.0.1}); returns the server's key store, the trust store is {@link #trustStore}.
     */
    public Path signedByTestAuthority(String name, String subjectAlternativeNames) throws Exception {
        Path authority = directory.resolve("authority.p12");
        if (!Files.exists(authority)) {
            keytool("-genkeypair", "-alias", "authority", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=split-domain test authority", "-ext", "bc:c", "-storetype", "PKCS12",
                "-keystore", authority.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
            keytool("-exportcert", "-rfc", "-alias", "authority", "-keystore", authority.toString(), "-storepass", PASSWORD,
                "-file", directory.resolve("authority.pem").toString());
            keytool("-importcert", "-noprompt", "-alias", "authority", "-file", directory.resolve("authority.pem").toString(),
                "-storetype", "PKCS12", "-keystore", trustStore().toString(), "-storepass", PASSWORD);
        }
        Path keystore = directory.resolve(name + ".p12");
        if (Files.exists(keystore)) {
            return keystore;
        }
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
            "-dname", "CN=" + name, "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        Path request = directory.resolve(name + ".csr");
        keytool("-certreq", "-alias", "server", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-file", request.toString());
        Path signed = directory.resolve(name + ".pem");
        keytool("-gencert", "-rfc", "-alias", "authority", "-keystore", authority.toString(), "-storepass", PASSWORD,
            "-infile", request.toString(), "-outfile", signed.toString(), "-ext", "SAN=" + subjectAlternativeNames, "-validity", "2");
        keytool("-importcert", "-noprompt", "-alias", "authority", "-file", directory.resolve("authority.pem").toString(),
            "-keystore", keystore.toString(), "-storepass", PASSWORD);
        keytool("-importcert", "-noprompt", "-alias", "server", "-file", signed.toString(),
            "-keystore", keystore.toString(), "-storepass", PASSWORD);
        return keystore;
    }

    /** The PKCS12 trust store holding the test authority. */
    public Path trustStore() {
        return directory.resolve("trust.p12");
    }

    /** A server-side TLS context presenting the key store's certificate. */
    public static SSLContext serverContext(Path keystore) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream input = Files.newInputStream(keystore)) {
            store.load(input, PASSWORD.toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        return context;
    }

    private static void keytool(String... arguments) throws Exception {
        List<String> command = ImmutableList.<String>builder()
            .add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString())
            .add(arguments)
            .build();
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        if (keytool.waitFor() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", arguments) + " failed: " + output);
        }
    }
}
