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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.subethamail.smtp.AuthenticationHandlerFactory;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.MessageHandlerFactory;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.server.SMTPServer;

/**
 * A foreign MTA standing in for the partner system: it records what it receives and how (which
 * connection, over TLS or not, authenticated as whom), and can refuse recipients, offer STARTTLS with
 * a certificate of the test's, or require AUTH.
 */
public final class SmtpSink implements AutoCloseable {
    public static final class Received {
        public final String sender;
        public final List<String> recipients;
        public final String content;
        /** The client's address and port: one value per SMTP connection. */
        public final String connection;
        public final boolean overTls;
        public final Optional<String> authenticatedAs;
        /** The name the client gave in HELO or EHLO. */
        public final String helo;

        Received(String sender, List<String> recipients, String content, String connection, boolean overTls, Optional<String> authenticatedAs,
                 String helo) {
            this.sender = sender;
            this.recipients = recipients;
            this.content = content;
            this.connection = connection;
            this.overTls = overTls;
            this.authenticatedAs = authenticatedAs;
            this.helo = helo;
        }
    }

    /** Called with each mail received, e.g. to send it on as a partner that forwards unknown addresses would. */
    @FunctionalInterface
    public interface NextHop {
        void send(Received received) throws IOException;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * A port nothing listens on at {@code address}: a port free on 127.0.0.1 may be a sink's on 127.0.0.2, as the
     * system hands out the same port number on both.
     */
    public static int freePort(String address) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return socket.getLocalPort();
        }
    }

    public static SmtpSink accepting(int port) {
        return builder().port(port).start();
    }

    public static SmtpSink rejectingRecipients(int port, int code, String message) {
        return builder().port(port).refusingEveryRecipient(code, message).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int port;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private final Map<String, RejectException> refusedRecipients = new HashMap<>();
        private final Set<String> knownRecipients = new HashSet<>();
        private Duration rcptWait = Duration.ZERO;
        private RejectException everyRecipientRefusal;
        private Optional<SSLContext> tls = Optional.empty();
        private Optional<Map.Entry<String, String>> requiredLogin = Optional.empty();
        private NextHop nextHop;
        private Duration perMail = Duration.ZERO;
        private Set<String> knownAtSessionStart;
        private java.util.function.BooleanSupplier deferring = () -> false;
        private java.util.function.BooleanSupplier holdingData = () -> false;
        private RejectException deferral;

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder bindAddress(String address) {
            try {
                this.bindAddress = InetAddress.getByName(address);
            } catch (IOException e) {
                throw new IllegalArgumentException(e);
            }
            return this;
        }

        public Builder refusing(String recipient, int code, String message) {
            refusedRecipients.put(recipient.toLowerCase(Locale.US), new RejectException(code, message));
            return this;
        }

        /** Takes mail for these recipients only, and refuses any other with {@code 550 5.1.1}, as a master that knows its users. */
        public Builder knowing(String... recipients) {
            for (String recipient : recipients) {
                knownRecipients.add(recipient.toLowerCase(Locale.US));
            }
            everyRecipientRefusal = new RejectException(550, "5.1.1 User unknown in virtual mailbox table");
            return this;
        }

        /**
         * Takes mail for the recipients of {@code known} as it was when each session began, and refuses any other with
         * {@code 550 5.1.1}: Postfix's smtpd keeps the maps it opened until its client leaves, so an address the test adds
         * to {@code known} later is refused by a session that began before, and accepted by a new one.
         */
        public Builder knowingAsOfSessionStart(Set<String> known) {
            this.knownAtSessionStart = known;
            return this;
        }

        /** Refuses every recipient with this (temporary) answer as long as {@code deferring} says so: a relay that is down for a while. */
        public Builder refusingEveryRecipientWhile(java.util.function.BooleanSupplier deferring, int code, String message) {
            this.deferring = deferring;
            this.deferral = new RejectException(code, message);
            return this;
        }

        /**
         * Holds the answer to the end of DATA for as long as {@code holding} says so, each mail recorded as received first:
         * clients stay in the middle of their transactions until the test lets them go.
         */
        public Builder holdingDataWhile(java.util.function.BooleanSupplier holding) {
            this.holdingData = holding;
            return this;
        }

        /** Waits this long before answering each RCPT: a slow or overloaded relay. */
        public Builder answeringRcptAfter(Duration wait) {
            rcptWait = wait;
            return this;
        }

        public Builder refusingEveryRecipient(int code, String message) {
            everyRecipientRefusal = new RejectException(code, message);
            return this;
        }

        /** Offers STARTTLS with this server certificate. */
        public Builder startTls(SSLContext serverContext) {
            this.tls = Optional.of(serverContext);
            return this;
        }

        /** Offers AUTH PLAIN and LOGIN after TLS, and refuses MAIL FROM from a client that did not log in. */
        public Builder requiringLogin(String username, String password) {
            this.requiredLogin = Optional.of(Map.entry(username, password));
            return this;
        }

        /** Takes this long to answer the end of DATA, as a busy partner does: mails are in flight for a while. */
        public Builder takingPerMail(Duration perMail) {
            this.perMail = perMail;
            return this;
        }

        public Builder forwardingEachMailTo(NextHop nextHop) {
            this.nextHop = nextHop;
            return this;
        }

        public SmtpSink start() {
            return new SmtpSink(this);
        }
    }

    private final SMTPServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Set<String> tlsConnections = ConcurrentHashMap.newKeySet();
    private final List<String> refusedRecipients = new CopyOnWriteArrayList<>();
    private final List<String> recipientsAsked = new CopyOnWriteArrayList<>();
    private final List<Map.Entry<String, java.time.Instant>> rcptTimes = new CopyOnWriteArrayList<>();
    private final Map<String, Set<String>> knownBySession = new ConcurrentHashMap<>();
    private final Builder settings;

    private SmtpSink(Builder settings) {
        this.settings = settings;
        this.server = settings.tls.isPresent() ? new TlsServer(new Handlers(), settings.tls.get()) : new SMTPServer(new Handlers());
        settings.requiredLogin.ifPresent(login -> server.setAuthenticationHandlerFactory(authentication(login)));
        server.setBindAddress(settings.bindAddress);
        server.setPort(settings.port);
        server.setEnableTLS(settings.tls.isPresent());
        server.start();
    }

    private static AuthenticationHandlerFactory authentication(Map.Entry<String, String> login) {
        return new EasyAuthenticationHandlerFactory((username, password) -> {
            if (!login.getKey().equals(username) || !login.getValue().equals(password)) {
                throw new LoginFailedException("535 5.7.8 Authentication credentials invalid");
            }
        });
    }

    public List<Received> received() {
        return received;
    }

    /** Recipients refused at RCPT, in the order they were refused. */
    public List<String> refusedRecipients() {
        return refusedRecipients;
    }

    /** Every RCPT this sink was given, taken or refused, mail or probe, in order. */
    public List<String> recipientsAsked() {
        return recipientsAsked;
    }

    /** When this sink was given each RCPT of {@code recipient}, taken or refused, in order: one per delivery attempt. */
    public List<java.time.Instant> rcptTimes(String recipient) {
        return rcptTimes.stream()
            .filter(asked -> asked.getKey().equalsIgnoreCase(recipient))
            .map(Map.Entry::getValue)
            .collect(java.util.stream.Collectors.toList());
    }

    /** How many SMTP connections carried at least one mail. */
    public long connectionsUsed() {
        return received.stream().map(mail -> mail.connection).distinct().count();
    }

    public int port() {
        return server.getPort();
    }

    /** {@code address:port}, as the split-routing settings write a relay. */
    public String relay() {
        return settings.bindAddress.getHostAddress() + ":" + port();
    }

    @Override
    public void close() {
        server.stop();
    }

    // The sink plays a slow server: it really has to hold the client waiting.
    private static void pause(Duration wait) {
        if (!wait.isZero()) {
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String connectionOf(SocketAddress address) {
        InetSocketAddress socketAddress = (InetSocketAddress) address;
        return socketAddress.getAddress().getHostAddress() + ":" + socketAddress.getPort();
    }

    private final class TlsServer extends SMTPServer {
        private final SSLContext context;

        private TlsServer(MessageHandlerFactory handlers, SSLContext context) {
            super(handlers);
            this.context = context;
        }

        @Override
        public SSLSocket createSSLSocket(Socket socket) throws IOException {
            tlsConnections.add(connectionOf(socket.getRemoteSocketAddress()));
            SSLSocket tlsSocket = (SSLSocket) context.getSocketFactory()
                .createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
            tlsSocket.setUseClientMode(false);
            return tlsSocket;
        }
    }

    private final class Handlers implements MessageHandlerFactory {
        @Override
        public MessageHandler create(MessageContext context) {
            return new MessageHandler() {
                private String sender;
                private final List<String> recipients = new ArrayList<>();

                @Override
                public void from(String from) {
                    if (settings.requiredLogin.isPresent()
                        && (context.getAuthenticationHandler() == null || context.getAuthenticationHandler().getIdentity() == null)) {
                        throw new RejectException(530, "5.7.0 Authentication required");
                    }
                    sender = from;
                }

                @Override
                public void recipient(String recipient) {
                    recipientsAsked.add(recipient);
                    rcptTimes.add(Map.entry(recipient, java.time.Instant.now()));
                    pause(settings.rcptWait);
                    if (settings.deferring.getAsBoolean()) {
                        throw new RejectException(settings.deferral.getCode(), settings.deferral.getMessage());
                    }
                    RejectException refusal = Optional.ofNullable(settings.refusedRecipients.get(recipient.toLowerCase(Locale.US)))
                        .orElse(settings.knownRecipients.contains(recipient.toLowerCase(Locale.US)) ? null : settings.everyRecipientRefusal);
                    if (settings.knownAtSessionStart != null && !sessionKnowledge().contains(recipient.toLowerCase(Locale.US))) {
                        refusal = new RejectException(550, "5.1.1 <" + recipient + ">: Recipient address rejected: User unknown in virtual mailbox table");
                    }
                    if (refusal != null) {
                        refusedRecipients.add(recipient);
                        throw new RejectException(refusal.getCode(), refusal.getMessage());
                    }
                    recipients.add(recipient);
                }

                // The session began at its first transaction: what the sink knew then is what it answers with.
                private Set<String> sessionKnowledge() {
                    return knownBySession.computeIfAbsent(connectionOf(context.getRemoteAddress()),
                        any -> settings.knownAtSessionStart.stream().map(known -> known.toLowerCase(Locale.US))
                            .collect(java.util.stream.Collectors.toUnmodifiableSet()));
                }

                @Override
                public void data(InputStream data) throws IOException {
                    String connection = connectionOf(context.getRemoteAddress());
                    Optional<String> identity = Optional.ofNullable(context.getAuthenticationHandler())
                        .map(handler -> handler.getIdentity())
                        .map(Object::toString);
                    Received mail = new Received(sender, List.copyOf(recipients), new String(data.readAllBytes(), StandardCharsets.UTF_8),
                        connection, tlsConnections.contains(connection), identity, context.getHelo());
                    received.add(mail);
                    pause(settings.perMail);
                    while (settings.holdingData.getAsBoolean()) {
                        pause(Duration.ofMillis(50));
                    }
                    if (settings.nextHop != null) {
                        settings.nextHop.send(mail);
                    }
                }

                @Override
                public void done() {
                }
            };
        }
    }
}
