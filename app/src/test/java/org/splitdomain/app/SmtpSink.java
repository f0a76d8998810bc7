package org.splitdomain.app;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.MessageHandlerFactory;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;

/**
 * A foreign MTA standing in for the partner system in failure scenarios: it records what it
 * receives, or refuses every recipient with a permanent error.
 */
public final class SmtpSink implements AutoCloseable {
    public static final class Received {
        public final String sender;
        public final List<String> recipients;
        public final String content;

        Received(String sender, List<String> recipients, String content) {
            this.sender = sender;
            this.recipients = recipients;
            this.content = content;
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public static SmtpSink accepting(int port) {
        return new SmtpSink(port, null);
    }

    public static SmtpSink rejectingRecipients(int port, int code, String message) {
        return new SmtpSink(port, new RejectException(code, message));
    }

    /**
     * A foreign MTA that knows nobody and sends every mail it gets on to {@code nextHopPort}, as a
     * misconfigured partner forwarding its unknown addresses would.
     */
    public static SmtpSink forwardingTo(int port, int nextHopPort) {
        SmtpSink sink = new SmtpSink(port, null);
        sink.nextHop = received -> SmtpSession.send(nextHopPort, received.sender, received.content,
            received.recipients.toArray(String[]::new));
        return sink;
    }

    @FunctionalInterface
    private interface NextHop {
        void send(Received received) throws IOException;
    }

    private final SMTPServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final RejectException rejection;
    private NextHop nextHop;

    private SmtpSink(int port, RejectException rejection) {
        this.rejection = rejection;
        this.server = new SMTPServer(new Handlers());
        server.setBindAddress(InetAddress.getLoopbackAddress());
        server.setPort(port);
        server.start();
    }

    public List<Received> received() {
        return received;
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Handlers implements MessageHandlerFactory {
        @Override
        public MessageHandler create(MessageContext context) {
            return new MessageHandler() {
                private String sender;
                private final List<String> recipients = new ArrayList<>();

                @Override
                public void from(String from) {
                    sender = from;
                }

                @Override
                public void recipient(String recipient) {
                    if (rejection != null) {
                        throw new RejectException(rejection.getCode(), rejection.getMessage());
                    }
                    recipients.add(recipient);
                }

                @Override
                public void data(InputStream data) throws IOException {
                    Received mail = new Received(sender, List.copyOf(recipients), new String(data.readAllBytes(), StandardCharsets.UTF_8));
                    received.add(mail);
                    if (nextHop != null) {
                        nextHop.send(mail);
                    }
                }

                @Override
                public void done() {
                }
            };
        }
    }
}
