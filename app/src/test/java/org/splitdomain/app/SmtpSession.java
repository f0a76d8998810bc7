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
import java.time.Duration;

import org.apache.commons.net.smtp.AuthenticatingSMTPClient;

/** A raw SMTP conversation for asserting the exact replies a client sees (codes and enhanced status). */
public final class SmtpSession implements AutoCloseable {
    public static SmtpSession connect(int port) throws IOException {
        return connect("127.0.0.1", port);
    }

    public static SmtpSession connect(String address, int port) throws IOException {
        AuthenticatingSMTPClient client = new AuthenticatingSMTPClient();
        client.setTrustManager(TestTls.trustManager());
        client.connect(address, port);
        return new SmtpSession(client);
    }

    /**
     * A session from another loopback address ({@code 127.0.0.2}: the partner's, an attacker's), each wait for a reply
     * bounded by {@code timeout}: a server that does not answer fails the test instead of hanging it.
     */
    public static SmtpSession connectFrom(String localAddress, String address, int port, Duration timeout) throws IOException {
        AuthenticatingSMTPClient client = new AuthenticatingSMTPClient();
        client.setTrustManager(TestTls.trustManager());
        client.setConnectTimeout((int) timeout.toMillis());
        client.setDefaultTimeout((int) timeout.toMillis());
        client.connect(InetAddress.getByName(address), port, InetAddress.getByName(localAddress), 0);
        return new SmtpSession(client);
    }

    private final AuthenticatingSMTPClient client;
    private final String banner;
    private boolean tls;

    private SmtpSession(AuthenticatingSMTPClient client) throws IOException {
        this.client = client;
        this.banner = client.getReplyString().trim();
        client.ehlo("client.test");
    }

    /** The server's greeting, as the session opened. */
    public String banner() {
        return banner;
    }

    public SmtpSession authenticate(String username, String password) throws Exception {
        String reply = tryAuthenticate(username, password);
        if (!reply.startsWith("235")) {
            throw new IllegalStateException("AUTH refused: " + reply);
        }
        return this;
    }

    /**
     * Tries AUTH PLAIN and returns the server's answer, accepted or not; over STARTTLS first when the server
     * offers it (james-conf's submission takes no credentials in clear).
     */
    public String tryAuthenticate(String username, String password) throws Exception {
        if (!tls && client.getReplyString().contains("STARTTLS")) {
            if (!client.execTLS()) {
                throw new IllegalStateException("STARTTLS refused: " + reply());
            }
            tls = true;
            client.ehlo("client.test");
        }
        return tryAuthenticateInClear(username, password);
    }

    /** Tries AUTH PLAIN on the connection as it is, encrypted or not. */
    public String tryAuthenticateInClear(String username, String password) throws Exception {
        client.auth(AuthenticatingSMTPClient.AUTH_METHOD.PLAIN, username, password);
        return reply();
    }

    public String mailFrom(String sender) throws IOException {
        client.mail("<" + sender + ">");
        return reply();
    }

    public String rcptTo(String recipient) throws IOException {
        client.rcpt("<" + recipient + ">");
        return reply();
    }

    public String data(String message) throws IOException {
        client.sendShortMessageData(message);
        return reply();
    }

    public String reply() {
        return client.getReplyString().trim();
    }

    /** Sends one message; fails with the server's reply if any step is refused. */
    public static void send(int port, String sender, String message, String... recipients) throws IOException {
        send("127.0.0.1", port, sender, message, recipients);
    }

    public static void send(String address, int port, String sender, String message, String... recipients) throws IOException {
        try (SmtpSession session = connect(address, port)) {
            expectOk(session.mailFrom(sender));
            for (String recipient : recipients) {
                expectOk(session.rcptTo(recipient));
            }
            expectOk(session.data(message));
        }
    }

    /**
     * Sends {@code count} mails, four SMTP clients at a time: mail {@code i} ({@code Subject: mail i}) from
     * someone@external.org to {@code recipient.apply(i)} through the SMTP port {@code port.applyAsInt(i)}.
     */
    public static void sendInParallel(int count, java.util.function.IntUnaryOperator port, java.util.function.IntFunction<String> recipient)
        throws Exception {
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<Object>> sent = clients.invokeAll(java.util.stream.IntStream.range(0, count)
                .<java.util.concurrent.Callable<Object>>mapToObj(i -> () -> {
                    send(port.applyAsInt(i), "someone@external.org", "Subject: mail " + i + "\r\n\r\nnumber " + i + "\r\n", recipient.apply(i));
                    return null;
                })
                .collect(java.util.stream.Collectors.toList()));
            for (java.util.concurrent.Future<Object> mail : sent) {
                mail.get();
            }
        } finally {
            clients.shutdownNow();
        }
    }

    private static void expectOk(String reply) {
        if (!reply.startsWith("2")) {
            throw new IllegalStateException("SMTP refused: " + reply);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            client.quit();
        } finally {
            client.disconnect();
        }
    }
}
