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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.metrics.api.TimeMetric;
import org.apache.mailet.Mail;
import org.apache.mailet.base.Converter7Bit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.settings.RelayHost;

import com.google.common.collect.ImmutableMap;

/**
 * Delivers recipients of one mail to the relays of their domain, in order: a relay that cannot be
 * reached, cannot meet its TLS or AUTH policy or answers 4xx is followed by the next one; a 5xx is the
 * partner's final word. Every attempt is one log line, as Postfix writes them.
 */
public final class RelaySender {
    private static final Logger LOGGER = LoggerFactory.getLogger(RelaySender.class);
    // Whether the relay itself was asked: a relay not tried (it failed a moment ago) or whose connections are all busy
    // said nothing of its own, and its last delivery stays what it was.
    private static final boolean CONTACTED = true;
    private static final boolean NOT_CONTACTED = false;

    /** How a delivery gets its connection; empty: the relay cannot be asked now, the recipients are left to the relay queue. */
    @FunctionalInterface
    private interface Borrower {
        Optional<RelayConnections.Lease> borrow(RelayHost relay, boolean fresh) throws MessagingException, InterruptedException;
    }

    private final RelayConnections connections;
    private final FailedRelays failedRelays;
    private final LoopMarker loopMarker;
    private final RelayMetrics metrics;
    private final Converter7Bit converter7Bit;
    private final LastDeliveries lastDeliveries;
    // The relay queue's threads wait for a connection; the spool's take one at once or leave the mail to the queue.
    private final Borrower waiting;
    private final Borrower atOnce;

    public RelaySender(RelayConnections connections, FailedRelays failedRelays, LoopMarker loopMarker, RelayMetrics metrics,
                       Converter7Bit converter7Bit, LastDeliveries lastDeliveries) {
        this.connections = connections;
        this.failedRelays = failedRelays;
        this.loopMarker = loopMarker;
        this.metrics = metrics;
        this.converter7Bit = converter7Bit;
        this.lastDeliveries = lastDeliveries;
        this.waiting = (relay, fresh) -> Optional.of(fresh ? connections.borrowFresh(relay) : connections.borrow(relay));
        this.atOnce = (relay, fresh) -> connections.borrowNow(relay, !fresh);
    }

    public LastDeliveries getLastDeliveries() {
        return lastDeliveries;
    }

    /** Each recipient's outcome: delivered, refused, or deferred with the last relay's reason. */
    public Map<MailAddress, RecipientOutcome> deliver(Mail mail, List<RelayHost> relays, List<MailAddress> recipients) {
        return deliver(mail, relays, recipients, false);
    }

    /**
     * The same, and with {@code evenRecentlyFailed} every relay is asked, even one that failed a moment ago: the operator
     * asked to retry now, maybe on another node than the one that remembers the failure.
     */
    public Map<MailAddress, RecipientOutcome> deliver(Mail mail, List<RelayHost> relays, List<MailAddress> recipients, boolean evenRecentlyFailed) {
        Map<MailAddress, RecipientOutcome> outcomes = new LinkedHashMap<>();
        List<MailAddress> remaining = new ArrayList<>(recipients);
        for (RelayHost relay : relays) {
            if (remaining.isEmpty()) {
                break;
            }
            Map<MailAddress, RecipientOutcome> attempt = attempt(mail, relay, remaining, evenRecentlyFailed);
            outcomes.putAll(attempt);
            remaining = attempt.entrySet().stream()
                .filter(outcome -> outcome.getValue().getKind() == RecipientOutcome.Kind.DEFERRED)
                .map(Map.Entry::getKey)
                .collect(Collectors.toList());
        }
        return outcomes;
    }

    private Map<MailAddress, RecipientOutcome> attempt(Mail mail, RelayHost relay, List<MailAddress> recipients, boolean evenRecentlyFailed) {
        Optional<String> recentFailure = evenRecentlyFailed ? Optional.empty() : failedRelays.recentFailure(relay);
        if (recentFailure.isPresent()) {
            RecipientOutcome notTried = RecipientOutcome.notTried(relay, "not tried, it failed a moment ago: " + recentFailure.get());
            return logged(mail, relay, recipients.stream().collect(ImmutableMap.toImmutableMap(recipient -> recipient, recipient -> notTried)),
                Optional.empty(), NOT_CONTACTED);
        }
        // The waiting borrower always lends a connection, or says why not.
        return attempt(mail, relay, recipients, waiting).orElseThrow();
    }

    /**
     * For a thread of James's spool (Exim's immediate delivery): delivers the recipients to the relays, in order, over
     * connections they have ready now. A recipient missing from the answer was not tried: the first relay it would go to
     * failed a moment ago, did not answer quickly lately or has all its connections in use. It is the relay queue's, with
     * its fail-over, retries and waits.
     */
    public Map<MailAddress, RecipientOutcome> deliverNow(Mail mail, List<RelayHost> relays, List<MailAddress> recipients) {
        Map<MailAddress, RecipientOutcome> outcomes = new LinkedHashMap<>();
        List<MailAddress> remaining = new ArrayList<>(recipients);
        for (RelayHost relay : relays) {
            if (remaining.isEmpty()) {
                break;
            }
            Optional<Map<MailAddress, RecipientOutcome>> attempt = failedRelays.recentFailure(relay).isPresent()
                ? Optional.empty()
                : attempt(mail, relay, remaining, atOnce);
            if (attempt.isEmpty()) {
                remaining.forEach(outcomes::remove);
                return outcomes;
            }
            outcomes.putAll(attempt.get());
            remaining = attempt.get().entrySet().stream()
                .filter(outcome -> outcome.getValue().getKind() == RecipientOutcome.Kind.DEFERRED)
                .map(Map.Entry::getKey)
                .collect(Collectors.toList());
        }
        return outcomes;
    }

    private Optional<Map<MailAddress, RecipientOutcome>> attempt(Mail mail, RelayHost relay, List<MailAddress> recipients, Borrower borrower) {
        Optional<Map<MailAddress, RecipientOutcome>> outcomes = send(mail, relay, recipients, borrower, false);
        List<MailAddress> refusedOnReusedConnection = outcomes.orElse(ImmutableMap.of()).entrySet().stream()
            .filter(outcome -> outcome.getValue().getKind() == RecipientOutcome.Kind.REFUSED && outcome.getValue().isOnReusedConnection())
            .map(Map.Entry::getKey)
            .collect(Collectors.toList());
        if (refusedOnReusedConnection.isEmpty()) {
            return outcomes;
        }
        // A session opened before the partner learnt an address may refuse it for as long as it lasts (Postfix's smtpd
        // keeps the maps it started with): a refusal is final only once a new session says it too.
        LOGGER.info("Mail {}: relay {} refused {} on a connection it had already used: asking again on a new connection",
            mail.getName(), relay.asString(), refusedOnReusedConnection);
        Map<MailAddress, RecipientOutcome> confirmed = new LinkedHashMap<>(outcomes.get());
        Optional<Map<MailAddress, RecipientOutcome>> again = send(mail, relay, refusedOnReusedConnection, borrower, true);
        if (again.isPresent()) {
            confirmed.putAll(again.get());
        } else {
            refusedOnReusedConnection.forEach(confirmed::remove);
        }
        return Optional.of(confirmed);
    }

    private Optional<Map<MailAddress, RecipientOutcome>> send(Mail mail, RelayHost relay, List<MailAddress> recipients, Borrower borrower,
                                                              boolean freshConnection) {
        Optional<RelayConnections.Lease> lent;
        try {
            lent = borrower.borrow(relay, freshConnection);
        } catch (RelayConnections.RelayBusyException e) {
            return Optional.of(logged(mail, relay, deferAll(recipients, relay, e.getMessage()), Optional.empty(), NOT_CONTACTED));
        } catch (MessagingException e) {
            String reason = "cannot open a session: " + RelayConnection.describe(e);
            failedRelays.failed(relay, reason);
            return Optional.of(logged(mail, relay, deferAll(recipients, relay, reason), Optional.empty(), CONTACTED));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(logged(mail, relay, deferAll(recipients, relay, "delivery interrupted: James is stopping"), Optional.empty(),
                NOT_CONTACTED));
        }
        return lent.map(lease -> sendOver(mail, relay, recipients, lease));
    }

    private Map<MailAddress, RecipientOutcome> sendOver(Mail mail, RelayHost relay, List<MailAddress> recipients, RelayConnections.Lease lease) {
        failedRelays.reached(relay);
        boolean reusable = true;
        TimeMetric timer = metrics.deliveryTimer(relay);
        try {
            MimeMessage message = mail.getMessage();
            if (!lease.connection().supports8BitMime()) {
                // RFC 6152: 8-bit content only to a server that announced 8BITMIME, as RemoteDelivery does.
                converter7Bit.convertTo7Bit(message);
            }
            Map<MailAddress, RecipientOutcome> sent = lease.connection().send(mail, loopMarker.mark(message, mail.getMaybeSender(), recipients),
                recipients);
            if (lease.isReused()) {
                sent = sent.entrySet().stream().collect(ImmutableMap.toImmutableMap(Map.Entry::getKey,
                    outcome -> outcome.getValue().onReusedConnection()));
            }
            return logged(mail, relay, sent, Optional.of(lease), CONTACTED);
        } catch (RelayConnection.ConnectionLostException e) {
            reusable = false;
            failedRelays.failed(relay, e.getMessage());
            return logged(mail, relay, deferAll(recipients, relay, e.getMessage()), Optional.of(lease), CONTACTED);
        } catch (MessagingException | IOException e) {
            reusable = false;
            return logged(mail, relay, deferAll(recipients, relay, "cannot read the message: " + e.getMessage()), Optional.of(lease), CONTACTED);
        } catch (RuntimeException e) {
            // Whatever went wrong, the recipients wait for their next attempt rather than being lost or retried in a loop.
            reusable = false;
            LOGGER.error("Mail {}: unexpected failure while delivering to relay {}", mail.getName(), relay.asString(), e);
            return logged(mail, relay, deferAll(recipients, relay, "unexpected failure: " + e), Optional.of(lease), CONTACTED);
        } finally {
            timer.stopAndPublish();
            connections.release(lease, reusable);
        }
    }

    private static Map<MailAddress, RecipientOutcome> deferAll(List<MailAddress> recipients, RelayHost relay, String reason) {
        RecipientOutcome deferred = RecipientOutcome.deferred(Optional.of(relay), reason);
        return recipients.stream().collect(ImmutableMap.toImmutableMap(recipient -> recipient, recipient -> deferred));
    }

    private Map<MailAddress, RecipientOutcome> logged(Mail mail, RelayHost relay, Map<MailAddress, RecipientOutcome> outcomes,
                                                      Optional<RelayConnections.Lease> lease, boolean contacted) {
        if (contacted) {
            lastDeliveries.record(relay, outcomes.values());
        }
        Map<RecipientOutcome.Kind, List<MailAddress>> byKind = outcomes.entrySet().stream()
            .collect(Collectors.groupingBy(outcome -> outcome.getValue().getKind(), LinkedHashMap::new,
                Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
        for (Map.Entry<RecipientOutcome.Kind, List<MailAddress>> group : byKind.entrySet()) {
            switch (group.getKey()) {
                case DELIVERED:
                    metrics.delivered(relay, group.getValue().size());
                    break;
                case REFUSED:
                    long confirmedLater = group.getValue().stream().filter(recipient -> outcomes.get(recipient).isOnReusedConnection()).count();
                    metrics.bounced(relay, group.getValue().size() - (int) confirmedLater);
                    metrics.deferred(relay, (int) confirmedLater);
                    break;
                default:
                    metrics.deferred(relay, group.getValue().size());
            }
        }
        if (!LOGGER.isInfoEnabled()) {
            return outcomes;
        }
        String connection = lease
            .map(held -> " conn_use=" + held.connection().getMails() + (held.connection().isEncrypted() ? " tls=yes" : " tls=no"))
            .orElse("");
        outcomes.forEach((recipient, outcome) -> {
            if (outcome.getKind() == RecipientOutcome.Kind.DELIVERED) {
                LOGGER.info("Mail {} from {} to {}: relay={}{} status=sent", mail.getName(), mail.getMaybeSender().asString(),
                    recipient.asString(), relay.asString(), connection);
            } else {
                LOGGER.info("Mail {} from {} to {}: relay={}{} status={} ({})", mail.getName(), mail.getMaybeSender().asString(),
                    recipient.asString(), relay.asString(), connection,
                    statusOf(outcome), outcome.getDetail());
            }
        });
        return outcomes;
    }

    private static String statusOf(RecipientOutcome outcome) {
        if (outcome.getKind() != RecipientOutcome.Kind.REFUSED) {
            return "deferred";
        }
        return outcome.isOnReusedConnection() ? "refused-on-reused-connection, asking a new one" : "bounced";
    }
}
