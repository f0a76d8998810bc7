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
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

import org.apache.commons.net.imap.IMAPSClient;
import org.apache.commons.net.util.TrustManagerUtils;

/**
 * STARTTLS for test clients of a James booted from james-conf, whose keystore is the throwaway self-signed one
 * the launcher made: a client accepts it as a user accepts a new server's certificate.
 */
final class TestTls {
    private static final TrustManager ACCEPT_ALL = TrustManagerUtils.getAcceptAllTrustManager();

    private TestTls() {
    }

    static TrustManager trustManager() {
        return ACCEPT_ALL;
    }

    /** An IMAP client ready for {@code execTLS()} after connecting (explicit TLS: STARTTLS). */
    static IMAPSClient imapClient() {
        IMAPSClient client = new IMAPSClient(false);
        client.setTrustManager(ACCEPT_ALL);
        return client;
    }

    /**
     * An IMAP connection of james-conf (no login in clear), past its greeting and over STARTTLS, ready for the
     * first command of the session.
     */
    static SSLSocket imapOverStartTls(int port) throws IOException {
        Socket plain = new Socket("127.0.0.1", port);
        try {
            readLine(plain);
            plain.getOutputStream().write("S0 STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
            plain.getOutputStream().flush();
            String answer = readLine(plain);
            if (!answer.startsWith("S0 OK")) {
                throw new IOException("STARTTLS refused: " + answer);
            }
            return upgrade(plain);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    // Byte by byte: nothing of what follows may be read ahead of the TLS handshake.
    private static String readLine(Socket socket) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int next = socket.getInputStream().read(); next != '\n'; next = socket.getInputStream().read()) {
            if (next == -1) {
                throw new IOException("Connection closed after '" + line + "'");
            }
            if (next != '\r') {
                line.append((char) next);
            }
        }
        return line.toString();
    }

    /** Layers TLS over a plain connection whose server has just said yes to STARTTLS. */
    static SSLSocket upgrade(Socket plain) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {ACCEPT_ALL}, null);
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
            tls.setUseClientMode(true);
            tls.startHandshake();
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot set up TLS", e);
        }
    }
}
