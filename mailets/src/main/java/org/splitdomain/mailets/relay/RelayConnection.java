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
package org.splitdomain.mailets.relay;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.SendFailedException;
import javax.mail.Session;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.DsnParameters;
import org.apache.mailet.Mail;
import org.splitdomain.settings.RelayCredentials;
import org.splitdomain.settings.RelayCredentials.Credential;
import org.splitdomain.settings.RelayHost;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.sun.mail.smtp.SMTPAddressFailedException;
import com.sun.mail.smtp.SMTPSendFailedException;
import com.sun.mail.smtp.SMTPSenderFailedException;
import com.sun.mail.smtp.SMTPTransport;

/**
 * One open SMTP session with a relay, through Jakarta Mail's {@link SMTPTransport} (the client James's
 * RemoteDelivery uses), kept open to carry several mails one after the other.
 */
public final class RelayConnection {
    /** The connection broke while a mail was being sent: it cannot be used again, the mail's outcome is unknown for the rest. */
    public static final class ConnectionLostException extends Exception {
        public ConnectionLostException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Connects, says EHLO, starts TLS and authenticates as the relay's policy asks. Fails when the relay
     * cannot meet it: nothing is sent on a connection that is weaker than the policy.
     */
    public static RelayConnection open(RelayHost relay, Session session, RelayCredentials credentials, Clock clock) throws MessagingException {
        return open(relay, session, credentialOf(relay, credentials), clock);
    }

    private static Optional<Credential> credentialOf(RelayHost relay, RelayCredentials credentials) throws MessagingException {
        if (relay.getCredential().isEmpty()) {
            return Optional.empty();
        }
        String name = relay.getCredential().get();
        Optional<Credential> credential = credentials.credential(name);
        if (credential.isEmpty()) {
            throw new MessagingException("credential '" + name + "' of relay " + relay.asString() + " is not defined in "
                + RelayCredentials.LOCATION);
        }
        return credential;
    }

    private static RelayConnection open(RelayHost relay, Session session, Optional<Credential> credential, Clock clock) throws MessagingException {
        SMTPTransport transport = (SMTPTransport) session.getTransport("smtp");
        transport.connect(relay.getHost(), relay.getPort(),
            credential.map(Credential::getUsername).orElse(null),
            credential.map(Credential::getPassword).orElse(null));
        // Jakarta Mail goes on without AUTH when the relay does not offer it; a named credential means the relay must be authenticated to.
        if (credential.isPresent() && transport.getExtensionParameter("AUTH") == null) {
            closeQuietly(transport);
            throw new MessagingException("relay " + relay.asString() + " offers no AUTH: credential '" + relay.getCredential().orElseThrow() + "' not used");
        }
        return new RelayConnection(relay, session, transport, clock);
    }

    private final RelayHost relay;
    private final Session session;
    private final SMTPTransport transport;
    private final Clock clock;
    private final Instant opened;
    private volatile Instant lastUsed;
    private int mails;

    private RelayConnection(RelayHost relay, Session session, SMTPTransport transport, Clock clock) {
        this.relay = relay;
        this.session = session;
        this.transport = transport;
        this.clock = clock;
        this.opened = clock.instant();
        this.lastUsed = opened;
    }

    public RelayHost getRelay() {
        return relay;
    }

    /** Whether the session runs over TLS (STARTTLS done). */
    public boolean isEncrypted() {
        return transport.isSSL();
    }

    public boolean supports8BitMime() {
        return transport.supportsExtension("8BITMIME");
    }

    /** Mails this connection has carried so far: Postfix's conn_use. */
    public int getMails() {
        return mails;
    }

    boolean isOlderThan(Duration age) {
        return opened.plus(age).isBefore(clock.instant());
    }

    boolean isIdleLongerThan(Duration idle) {
        return lastUsed.plus(idle).isBefore(clock.instant());
    }

    /** Asks the relay whether the session is still good for another mail (RSET). */
    boolean reset() {
        return transport.isConnected();
    }

    /**
     * Sends the mail's message to these recipients: one SMTP transaction per distinct DSN NOTIFY
     * option (Jakarta Mail sets NOTIFY per transaction), RET and ENVID as the mail carries them, as
     * James's RemoteDelivery passes them on. Returns each recipient's outcome.
     */
    public Map<MailAddress, RecipientOutcome> send(Mail mail, MimeMessage message, List<MailAddress> recipients) throws ConnectionLostException {
        mails++;
        Map<MailAddress, RecipientOutcome> outcomes = new LinkedHashMap<>();
        // Read once: the DSN parameters are rebuilt from the mail's attributes at each call.
        Optional<DsnParameters> dsn = mail.dsnParameters();
        try {
            for (Map.Entry<Optional<String>, List<MailAddress>> transaction : byNotify(dsn, recipients).entrySet()) {
                prepareEnvelope(mail, dsn, transaction.getKey());
                outcomes.putAll(transaction(message, transaction.getValue()));
            }
            return outcomes;
        } finally {
            lastUsed = clock.instant();
        }
    }

    private Map<MailAddress, RecipientOutcome> transaction(MimeMessage message, List<MailAddress> recipients) throws ConnectionLostException {
        try {
            transport.sendMessage(message, internetAddresses(recipients));
            return recipients.stream().collect(ImmutableMap.toImmutableMap(recipient -> recipient, recipient -> RecipientOutcome.delivered(relay)));
        } catch (SendFailedException e) {
            if (isConnectionLost(e)) {
                throw new ConnectionLostException("connection to " + relay.asString() + " lost: " + describe(e), e);
            }
            return outcomesOf(e, recipients);
        } catch (MessagingException e) {
            if (isConnectionLost(e) || !transport.isConnected()) {
                throw new ConnectionLostException("connection to " + relay.asString() + " lost: " + describe(e), e);
            }
            return sameOutcomeFor(recipients, replyCode(e), describe(e));
        }
    }

    private Map<MailAddress, RecipientOutcome> outcomesOf(SendFailedException e, List<MailAddress> recipients) {
        if (e instanceof SMTPSenderFailedException) {
            // MAIL FROM refused: the answer is the same for every recipient of the transaction.
            return sameOutcomeFor(recipients, replyCode(e), describe(e));
        }
        Map<String, SMTPAddressFailedException> addressFailures = new LinkedHashMap<>();
        for (Exception next = e.getNextException(); next instanceof MessagingException; next = ((MessagingException) next).getNextException()) {
            if (next instanceof SMTPAddressFailedException) {
                SMTPAddressFailedException failure = (SMTPAddressFailedException) next;
                addressFailures.put(failure.getAddress().getAddress().toLowerCase(Locale.US), failure);
            }
        }
        List<String> sent = addresses(e.getValidSentAddresses());
        Map<MailAddress, RecipientOutcome> outcomes = new LinkedHashMap<>();
        for (MailAddress recipient : recipients) {
            String address = recipient.asString().toLowerCase(Locale.US);
            SMTPAddressFailedException failure = addressFailures.get(address);
            if (sent.contains(address)) {
                outcomes.put(recipient, RecipientOutcome.delivered(relay));
            } else if (failure != null) {
                outcomes.put(recipient, outcome(failure.getReturnCode(), reply(failure)));
            } else {
                // Accepted at RCPT, then the transaction failed (DATA refused, say): its answer applies.
                outcomes.put(recipient, outcome(replyCode(e), describe(e)));
            }
        }
        return outcomes;
    }

    private Map<MailAddress, RecipientOutcome> sameOutcomeFor(List<MailAddress> recipients, int code, String reply) {
        RecipientOutcome outcome = outcome(code, reply);
        return recipients.stream().collect(ImmutableMap.toImmutableMap(recipient -> recipient, recipient -> outcome));
    }

    private RecipientOutcome outcome(int code, String reply) {
        return RecipientOutcome.answered(relay, SmtpReply.of(code, reply));
    }

    private static int replyCode(MessagingException e) {
        if (e instanceof SMTPSendFailedException) {
            return ((SMTPSendFailedException) e).getReturnCode();
        }
        if (e instanceof SMTPSenderFailedException) {
            return ((SMTPSenderFailedException) e).getReturnCode();
        }
        return -1;
    }

    private static String reply(SMTPAddressFailedException failure) {
        return failure.getMessage().trim();
    }

    public static String describe(MessagingException e) {
        String message = Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName()).trim();
        Throwable cause = e.getCause() != null ? e.getCause() : e.getNextException();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            return message + " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage().trim() + ")";
        }
        return message;
    }

    private static boolean isConnectionLost(MessagingException e) {
        for (Throwable cause = e; cause != null; cause = cause instanceof MessagingException && ((MessagingException) cause).getNextException() != null
            ? ((MessagingException) cause).getNextException() : cause.getCause()) {
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private void prepareEnvelope(Mail mail, Optional<DsnParameters> dsn, Optional<String> notify) {
        Properties properties = session.getProperties();
        // "<>" for a bounce: Jakarta Mail would otherwise fall back to the From: header.
        properties.setProperty(RelaySessions.FROM, mail.getMaybeSender().asString("<>"));
        set(properties, RelaySessions.DSN_RET, dsn.flatMap(DsnParameters::getRetParameter).map(Enum::name));
        set(properties, RelaySessions.DSN_NOTIFY, notify);
        set(properties, RelaySessions.MAIL_EXTENSION, dsn.flatMap(DsnParameters::getEnvIdParameter)
            // A relay without DSN would refuse an unknown MAIL FROM parameter.
            .filter(envId -> transport.supportsExtension("DSN"))
            .map(envId -> "ENVID=" + envId.asString()));
    }

    private static void set(Properties properties, String name, Optional<String> value) {
        if (value.isPresent()) {
            properties.setProperty(name, value.get());
        } else {
            properties.remove(name);
        }
    }

    private static Map<Optional<String>, List<MailAddress>> byNotify(Optional<DsnParameters> dsn, List<MailAddress> recipients) {
        if (dsn.isEmpty()) {
            return ImmutableMap.of(Optional.empty(), recipients);
        }
        return recipients.stream().collect(Collectors.groupingBy(recipient -> notifyOf(dsn.get(), recipient), LinkedHashMap::new,
            Collectors.toList()));
    }

    private static Optional<String> notifyOf(DsnParameters dsn, MailAddress recipient) {
        return Optional.ofNullable(dsn.getRcptParameters().get(recipient))
            .flatMap(DsnParameters.RecipientDsnParameters::getNotifyParameter)
            .map(RelayConnection::notifyValue);
    }

    // Jakarta Mail writes the property after NOTIFY= as it is.
    private static String notifyValue(EnumSet<DsnParameters.Notify> notify) {
        return notify.stream().map(Enum::name).collect(Collectors.joining(","));
    }

    private static InternetAddress[] internetAddresses(Collection<MailAddress> recipients) {
        return recipients.stream()
            .map(recipient -> {
                try {
                    return recipient.toInternetAddress().orElseThrow(() -> new AddressException("not an address", recipient.asString()));
                } catch (AddressException e) {
                    throw new IllegalArgumentException("Recipient " + recipient.asString() + " cannot be written in SMTP", e);
                }
            })
            .toArray(InternetAddress[]::new);
    }

    private static List<String> addresses(Address[] addresses) {
        if (addresses == null) {
            return ImmutableList.of();
        }
        return Arrays.stream(addresses)
            .map(address -> ((InternetAddress) address).getAddress().toLowerCase(Locale.US))
            .collect(ImmutableList.toImmutableList());
    }

    /**
     * Asks the relay whether it takes mail for this recipient, as Postfix's address verification and Exim's callout
     * do: {@code MAIL FROM:<>}, {@code RCPT TO}, then {@code RSET}. No DATA: nothing is delivered. The null sender
     * means a refusal is never bounced to anyone, and tells a partner running this extension that the RCPT is a probe.
     */
    public SmtpReply probe(MailAddress recipient) throws MessagingException {
        SmtpReply mailFrom = SmtpReply.of(transport.simpleCommand("MAIL FROM:<>"), transport.getLastServerResponse());
        if (!mailFrom.isPositive()) {
            // Says nothing of the recipient: no verdict can be drawn from it.
            transport.simpleCommand("RSET");
            throw new MessagingException("relay refused MAIL FROM:<> (" + mailFrom.getText() + "): it cannot be asked about recipients");
        }
        int rcpt = transport.simpleCommand("RCPT TO:<" + recipient.asString() + ">");
        SmtpReply reply = SmtpReply.of(rcpt, transport.getLastServerResponse());
        transport.simpleCommand("RSET");
        return reply;
    }

    public void close() {
        closeQuietly(transport);
    }

    private static void closeQuietly(SMTPTransport transport) {
        try {
            transport.close();
        } catch (MessagingException e) {
            // QUIT could not be said: the connection was already gone, nothing is lost.
        }
    }
}
