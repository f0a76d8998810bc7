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

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.route.RouteDecision;
import org.splitdomain.route.RouteResolutionException;
import org.splitdomain.route.RouteResolver;
import org.splitdomain.settings.RelayHost;

import com.google.common.collect.ImmutableList;

/**
 * One attempt of one mail. Each recipient's route is decided again (the queue holds recipients, not relays, as
 * Postfix re-resolves the transport of each queued recipient), the recipients are grouped by relays and delivered,
 * and each ends in exactly one place:
 * <ul>
 *     <li>delivered to a relay;</li>
 *     <li>refused by a relay (5xx): a DSN for that recipient only;</li>
 *     <li>no relay applies any more: back to {@code rerouteProcessor}, handled as James now handles it;</li>
 *     <li>deferred (4xx, relay down, policy not met, or anything that failed on the way): the waiting room until its
 *     next attempt, or a DSN once {@code maxRetries} is spent.</li>
 * </ul>
 * What a recipient reached stays reached: whatever fails later in the attempt, only the recipients not yet delivered,
 * bounced or handed back wait for the next one.
 */
public final class RelayAttempt {
    private static final Logger LOGGER = LoggerFactory.getLogger(RelayAttempt.class);

    /** How recipients are delivered to a list of relays ({@link RelaySender#deliver}). */
    @FunctionalInterface
    public interface Deliveries {
        Map<MailAddress, RecipientOutcome> deliver(Mail mail, List<RelayHost> relays, List<MailAddress> recipients, boolean evenRecentlyFailed);
    }

    /** The recipients of an attempt that could not be put anywhere: the waiting room failed them. */
    public static final class UnfinishedException extends Exception {
        private final List<MailAddress> recipients;
        private final RetryPolicy.Decision decision;

        UnfinishedException(List<MailAddress> recipients, RetryPolicy.Decision decision, Throwable cause) {
            super("recipients " + recipients + " could not be put in the waiting room: " + cause.getMessage(), cause);
            this.recipients = recipients;
            this.decision = decision;
        }

        public List<MailAddress> getRecipients() {
            return recipients;
        }

        public RetryPolicy.Decision getDecision() {
            return decision;
        }
    }

    private final RelayDeliveryConfiguration configuration;
    private final RouteResolver routeResolver;
    private final Deliveries deliveries;
    private final RelayBouncer bouncer;
    private final MailetContext mailetContext;
    private final RetryPolicy retryPolicy;
    private final RelayQueue queue;
    private final Clock clock;

    public RelayAttempt(RelayDeliveryConfiguration configuration, RouteResolver routeResolver, Deliveries deliveries, RelayBouncer bouncer,
                        MailetContext mailetContext, RetryPolicy retryPolicy, RelayQueue queue, Clock clock) {
        this.configuration = configuration;
        this.routeResolver = routeResolver;
        this.deliveries = deliveries;
        this.bouncer = bouncer;
        this.mailetContext = mailetContext;
        this.retryPolicy = retryPolicy;
        this.queue = queue;
        this.clock = clock;
    }

    /**
     * Attempts the mail; on return every recipient is delivered, bounced, handed back or waiting in the waiting room.
     * Throws only when the waiting room could not take the recipients left.
     */
    public void run(Mail mail) throws UnfinishedException {
        Set<MailAddress> open = new LinkedHashSet<>(mail.getRecipients());
        Map<MailAddress, RecipientOutcome> outcomes = new LinkedHashMap<>();
        try {
            Map<List<RelayHost>, List<MailAddress>> byRelays = new LinkedHashMap<>();
            List<MailAddress> rerouted = new ArrayList<>();
            for (MailAddress recipient : mail.getRecipients()) {
                try {
                    Optional<RouteDecision> decision = routeResolver.relayRoute(recipient);
                    if (decision.isPresent()) {
                        byRelays.computeIfAbsent(decision.get().getRelays(), relays -> new ArrayList<>()).add(recipient);
                    } else {
                        rerouted.add(recipient);
                    }
                } catch (RouteResolutionException e) {
                    outcomes.put(recipient, RecipientOutcome.deferred(Optional.empty(), "the route decision failed: " + e.getMessage()));
                }
            }
            boolean retryNow = RelayQueueState.isRetryNow(mail);
            for (Map.Entry<List<RelayHost>, List<MailAddress>> group : byRelays.entrySet()) {
                Map<MailAddress, RecipientOutcome> delivered = deliveries.deliver(mail, group.getKey(), group.getValue(), retryNow);
                outcomes.putAll(delivered);
                delivered.forEach((recipient, outcome) -> {
                    if (outcome.getKind() == RecipientOutcome.Kind.DELIVERED) {
                        open.remove(recipient);
                    }
                });
            }
            reroute(mail, rerouted, open, outcomes);
            bounceRefused(mail, open, outcomes);
        } catch (RuntimeException e) {
            LOGGER.error("Mail {} from {}: its attempt failed unexpectedly; {} wait for the next one", mail.getName(),
                mail.getMaybeSender().asString(), open, e);
            for (MailAddress recipient : open) {
                RecipientOutcome known = outcomes.get(recipient);
                if (known == null || known.getKind() != RecipientOutcome.Kind.DEFERRED) {
                    outcomes.put(recipient, RecipientOutcome.deferred(Optional.empty(), "unexpected failure: " + e));
                }
            }
        }
        if (!open.isEmpty()) {
            defer(mail, ImmutableList.copyOf(open), outcomes);
        }
    }

    /**
     * Ends an attempt made at once by James's spool ({@link ImmediateDelivery}) for the mail's recipients, each as a queued
     * attempt ends: a refusal gets its DSN, a deferral waits in the waiting room as after a first attempt (or gets its DSN
     * when no retry is allowed). Throws only when the waiting room could not take them.
     */
    void settle(Mail mail, Map<MailAddress, RecipientOutcome> outcomes) throws UnfinishedException {
        Set<MailAddress> open = new LinkedHashSet<>(mail.getRecipients());
        bounceRefused(mail, open, outcomes);
        if (!open.isEmpty()) {
            defer(mail, ImmutableList.copyOf(open), outcomes);
        }
    }

    private void reroute(Mail mail, List<MailAddress> rerouted, Set<MailAddress> open, Map<MailAddress, RecipientOutcome> outcomes) {
        if (rerouted.isEmpty()) {
            return;
        }
        String processor = configuration.getRerouteProcessor();
        LOGGER.info("Mail {} from {}: no relay applies any more to {} (the settings changed while it waited): handed back to processor {}",
            mail.getName(), mail.getMaybeSender().asString(), rerouted, processor);
        try {
            Mail copy = mail.duplicate();
            try {
                copy.setRecipients(rerouted);
                RelayQueueState.unstamp(copy);
                mailetContext.sendMail(copy, processor);
                open.removeAll(rerouted);
            } finally {
                LifecycleUtil.dispose(copy);
            }
        } catch (MessagingException | RuntimeException e) {
            LOGGER.warn("Mail {}: {} could not be handed back to processor {}; they wait for the next attempt", mail.getName(), rerouted,
                processor, e);
            rerouted.forEach(recipient -> outcomes.put(recipient, RecipientOutcome.deferred(Optional.empty(),
                "could not be handed back to processor " + processor + ": " + e)));
        }
    }

    private void bounceRefused(Mail mail, Set<MailAddress> open, Map<MailAddress, RecipientOutcome> outcomes) {
        Map<String, List<MailAddress>> byReply = outcomes.entrySet().stream()
            .filter(outcome -> outcome.getValue().getKind() == RecipientOutcome.Kind.REFUSED)
            .collect(Collectors.groupingBy(outcome -> outcome.getValue().getDetail(), LinkedHashMap::new,
                Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
        for (Map.Entry<String, List<MailAddress>> refused : byReply.entrySet()) {
            try {
                bouncer.bounce(mail, refused.getValue(), refused.getKey());
                open.removeAll(refused.getValue());
            } catch (MessagingException | RuntimeException e) {
                LOGGER.warn("Mail {}: the DSN for {} could not be sent; they wait for the next attempt", mail.getName(), refused.getValue(), e);
                RecipientOutcome deferred = RecipientOutcome.deferred(Optional.empty(), "the DSN of '" + refused.getKey() + "' could not be sent: " + e);
                refused.getValue().forEach(recipient -> outcomes.put(recipient, deferred));
            }
        }
    }

    private void defer(Mail mail, List<MailAddress> deferred, Map<MailAddress, RecipientOutcome> outcomes) throws UnfinishedException {
        int retries = RelayQueueState.retries(mail);
        String lastError = lastError(deferred, outcomes);
        boolean anyRelayAsked = deferred.stream()
            .map(outcomes::get)
            .anyMatch(outcome -> outcome == null || outcome.isTried());
        RetryPolicy.Decision decision = retryPolicy.afterAttempt(retries, anyRelayAsked);
        if (decision.isGiveUp()) {
            LOGGER.warn("Mail {} from {}: giving up on {} after {} attempts: {}", mail.getName(), mail.getMaybeSender().asString(),
                deferred, decision.getAttempts(), lastError);
            try {
                bouncer.bounce(mail, deferred, "5.4.7 Delivery to the relay failed " + decision.getAttempts()
                    + " times, giving up. Last error: " + lastError);
                return;
            } catch (MessagingException | RuntimeException e) {
                // Tried once more after the last delay, and given up again then.
                LOGGER.error("Mail {}: the DSN giving up on {} could not be sent; they wait for one more attempt", mail.getName(), deferred, e);
                decision = retryPolicy.afterAttempt(retries, false);
            }
        }
        Instant due = clock.instant().plus(decision.getDelay());
        mail.setRecipients(deferred);
        RelayQueueState.stampRetry(mail, decision.getRetries(), lastError);
        mail.removeAttribute(RelayQueueState.RETRY_NOW);
        mail.removeAttribute(RelayQueueState.WOKEN_FROM);
        try {
            queue.park(mail, due);
        } catch (MessagingException | RuntimeException e) {
            throw new UnfinishedException(deferred, decision, e);
        }
        if (anyRelayAsked) {
            LOGGER.info("Mail {} from {}: {} deferred, retry {} of {} in {}: {}", mail.getName(), mail.getMaybeSender().asString(),
                deferred, decision.getRetries(), configuration.getMaxRetries(), decision.getDelay(), lastError);
        } else {
            LOGGER.info("Mail {} from {}: {} waits {} more, no relay tried: {}", mail.getName(), mail.getMaybeSender().asString(),
                deferred, decision.getDelay(), lastError);
        }
    }

    private static String lastError(Collection<MailAddress> deferred, Map<MailAddress, RecipientOutcome> outcomes) {
        return deferred.stream()
            .map(outcomes::get)
            .filter(outcome -> outcome != null)
            .map(outcome -> outcome.getRelay().map(relay -> "relay " + relay.asString() + ": ").orElse("") + outcome.getDetail())
            .distinct()
            .collect(Collectors.joining("; "));
    }
}
