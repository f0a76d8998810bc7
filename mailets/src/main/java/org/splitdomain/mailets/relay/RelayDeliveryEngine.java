package org.splitdomain.mailets.relay;

import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.server.core.MailImpl;
import org.apache.james.util.MDCBuilder;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.route.RouteDecision;
import org.splitdomain.route.RouteResolutionException;
import org.splitdomain.route.RouteResolver;
import org.splitdomain.settings.RelayHost;

import com.google.common.collect.ImmutableList;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The delivery side of the relay queue. The queue holds recipients, not relays: at every attempt each
 * recipient's route is decided again by {@link RouteResolver}, so queued mail follows whatever changed
 * while it waited (relays, flags, forwarded addresses, domain settings), as Postfix re-resolves the
 * transport of each queued recipient. Then each recipient ends in exactly one of:
 * <ul>
 *     <li>delivered to a relay;</li>
 *     <li>refused by a relay (5xx): a DSN for that recipient only;</li>
 *     <li>no relay applies any more: back to {@code rerouteProcessor}, handled as James now handles it;</li>
 *     <li>deferred (4xx, relay down, policy not met): queued again after {@code delayTime}, and given up
 *     with a DSN once {@code maxRetries} is spent.</li>
 * </ul>
 * The queue item is acknowledged only once all of that is done, so a crash means another attempt, never a lost recipient.
 */
public final class RelayDeliveryEngine implements Closeable {
    private static final Logger LOGGER = LoggerFactory.getLogger(RelayDeliveryEngine.class);

    private final String mailetName;
    private final RelayDeliveryConfiguration configuration;
    private final MailQueue queue;
    private final RouteResolver routeResolver;
    private final RelaySender sender;
    private final RelayBouncer bouncer;
    private final MailetContext mailetContext;
    private final RelayQueueState state;
    private final FailedRelays failedRelays;
    private final RelayTester tester;
    private final Clock clock;
    private Scheduler deliveryScheduler;
    private Scheduler dequeueScheduler;
    private Disposable dequeue;

    public RelayDeliveryEngine(String mailetName, RelayDeliveryConfiguration configuration, MailQueue queue, RouteResolver routeResolver,
                               RelaySender sender, RelayBouncer bouncer, MailetContext mailetContext, RelayQueueState state,
                               FailedRelays failedRelays, RelayTester tester, Clock clock) {
        this.mailetName = mailetName;
        this.configuration = configuration;
        this.queue = queue;
        this.routeResolver = routeResolver;
        this.sender = sender;
        this.bouncer = bouncer;
        this.mailetContext = mailetContext;
        this.state = state;
        this.failedRelays = failedRelays;
        this.tester = tester;
        this.clock = clock;
    }

    public String getQueueName() {
        return queue.getName().asString();
    }

    public RelayQueueState getState() {
        return state;
    }

    public RouteResolver getRouteResolver() {
        return routeResolver;
    }

    public String getMailetName() {
        return mailetName;
    }

    /** Whether loop marks are signed with the configured {@code loopSecret}, rather than one of this process only. */
    public boolean hasLoopSecret() {
        return LoopSecret.isConfigured(configuration);
    }

    /** How the last delivery to the relay ended on this node, if there was one since James started. */
    public Optional<LastDeliveries.LastDelivery> lastDelivery(RelayHost relay) {
        return sender.getLastDeliveries().of(relay);
    }

    /**
     * The relays the mail's next attempt will use for its recipients, as the route is decided right now
     * ({@link RelayBacklog#NO_RELAY} for a recipient no relay applies to any more, or whose route cannot be decided now).
     */
    public List<String> nextRelays(RelayQueueState.QueuedMail mail) {
        return mail.getRecipients().stream()
            .map(recipient -> {
                try {
                    return routeResolver.relayRoute(recipient)
                        .flatMap(decision -> decision.getRelays().stream().findFirst())
                        .map(RelayHost::asString)
                        .orElse(RelayBacklog.NO_RELAY);
                } catch (RouteResolutionException e) {
                    return RelayBacklog.NO_RELAY;
                }
            })
            .distinct()
            .collect(Collectors.toList());
    }

    /** Opens a session with the relay under its policy and the settings of this engine, and tells what happened. */
    public RelayTester.Report test(RelayHost relay) {
        return tester.test(relay);
    }

    /** The same test, each wait bounded by {@code timeout}. */
    public RelayTester.Report test(RelayHost relay, Duration timeout) {
        return tester.test(relay, timeout);
    }

    /** Asks the relay, with this engine's session settings, whether it takes mail for the recipient: no mail is sent. */
    public SmtpReply probe(RelayHost relay, MailAddress recipient, Duration timeout) throws MessagingException {
        return tester.probe(relay, recipient, timeout);
    }

    /** Starts delivering: also the mail a persistent queue kept over a restart. */
    public void start() {
        // Before any delivery starts, so that the listing never records a mail its delivery has already finished.
        rememberWaitingMail();
        deliveryScheduler = Schedulers.newBoundedElastic(configuration.getDeliveryThreads(), Integer.MAX_VALUE, "split-domain-relay");
        // Some queues (James's JMS queues) block the subscribing thread while they wait for mail.
        dequeueScheduler = Schedulers.newSingle("split-domain-relay-dequeue");
        dequeue = Flux.from(queue.deQueue())
            .flatMap(item -> Mono.fromRunnable(() -> handle(item)).subscribeOn(deliveryScheduler), configuration.getDeliveryThreads())
            .onErrorContinue((error, item) -> LOGGER.error("{}: relay delivery failed unexpectedly", mailetName, error))
            .subscribeOn(dequeueScheduler)
            .subscribe();
        LOGGER.info("{}: delivering split-domain mail from queue {} ({} delivery threads, at most {} connections per relay)",
            mailetName, getQueueName(), configuration.getDeliveryThreads(), configuration.getMaxConnectionsPerRelay());
    }

    /** Queues the mail, with its recipients as they stand, for delivery to their relays. */
    public void enqueue(Mail mail) throws MessagingException {
        Instant now = clock.instant();
        RelayQueueState.stampFirstQueued(mail, now);
        // Recorded first: the delivery may be done before enQueue returns.
        state.waiting(mail, now, now);
        try {
            queue.enQueue(mail);
        } catch (MessagingException | RuntimeException e) {
            state.done(mail.getName());
            throw e;
        }
    }

    void handle(MailQueue.MailQueueItem item) {
        Mail mail = item.getMail();
        try (Closeable context = MDCBuilder.create()
                 .addToContext("mail", mail.getName())
                 .addToContext("sender", mail.getMaybeSender().asString())
                 .build()) {
            attempt(mail);
            item.done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
        } catch (Exception e) {
            LOGGER.error("{}: delivery attempt of mail {} failed unexpectedly; it waits for its next attempt", mailetName, mail.getName(), e);
            retryAfterFailure(item, mail, e);
        } finally {
            LifecycleUtil.dispose(mail);
        }
    }

    // Queued again with the usual delay: handing the item back (RETRY) would have the memory queue
    // deliver it again at once, and fail again, in a loop.
    private void retryAfterFailure(MailQueue.MailQueueItem item, Mail mail, Exception failure) {
        try {
            int retry = RelayQueueState.retries(mail) + 1;
            Duration delay = configuration.delayBeforeRetry(retry);
            RelayQueueState.stampRetry(mail, retry, "unexpected failure: " + failure);
            state.waiting(mail, clock.instant(), clock.instant().plus(delay));
            queue.enQueue(mail, delay);
            item.done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
        } catch (Exception requeueFailure) {
            LOGGER.error("{}: mail {} could not be queued again, handing it back to queue {}", mailetName, mail.getName(),
                getQueueName(), requeueFailure);
            try {
                item.done(MailQueue.MailQueueItem.CompletionStatus.RETRY);
            } catch (MailQueue.MailQueueException retryFailure) {
                LOGGER.error("{}: mail {} could not be given back to queue {}", mailetName, mail.getName(), getQueueName(), retryFailure);
            }
        }
    }

    void attempt(Mail mail) throws MessagingException {
        Instant now = clock.instant();
        state.waiting(mail, now, now);
        Map<List<RelayHost>, List<MailAddress>> byRelays = new LinkedHashMap<>();
        List<MailAddress> rerouted = new ArrayList<>();
        Map<MailAddress, RecipientOutcome> outcomes = new LinkedHashMap<>();
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
        for (Map.Entry<List<RelayHost>, List<MailAddress>> group : byRelays.entrySet()) {
            outcomes.putAll(sender.deliver(mail, group.getKey(), group.getValue()));
        }
        reroute(mail, rerouted);
        bounceRefused(mail, outcomes);
        List<MailAddress> deferred = recipientsWith(outcomes, RecipientOutcome.Kind.DEFERRED);
        if (deferred.isEmpty()) {
            state.done(mail.getName());
        } else {
            retryLater(mail, deferred, outcomes);
        }
    }

    private void reroute(Mail mail, List<MailAddress> rerouted) throws MessagingException {
        if (rerouted.isEmpty()) {
            return;
        }
        LOGGER.info("Mail {} from {}: no relay applies any more to {} (the settings changed while it waited): handed back to processor {}",
            mail.getName(), mail.getMaybeSender().asString(), rerouted, configuration.getRerouteProcessor());
        Mail copy = mail.duplicate();
        try {
            copy.setRecipients(rerouted);
            RelayQueueState.unstamp(copy);
            mailetContext.sendMail(copy, configuration.getRerouteProcessor());
        } finally {
            LifecycleUtil.dispose(copy);
        }
    }

    private void bounceRefused(Mail mail, Map<MailAddress, RecipientOutcome> outcomes) throws MessagingException {
        Map<String, List<MailAddress>> byReply = outcomes.entrySet().stream()
            .filter(outcome -> outcome.getValue().getKind() == RecipientOutcome.Kind.REFUSED)
            .collect(Collectors.groupingBy(outcome -> outcome.getValue().getDetail(), LinkedHashMap::new,
                Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
        for (Map.Entry<String, List<MailAddress>> refused : byReply.entrySet()) {
            bouncer.bounce(mail, refused.getValue(), refused.getKey());
        }
    }

    private void retryLater(Mail mail, List<MailAddress> deferred, Map<MailAddress, RecipientOutcome> outcomes) throws MessagingException {
        int retries = RelayQueueState.retries(mail);
        String lastError = lastError(deferred, outcomes);
        if (deferred.stream().map(outcomes::get).noneMatch(RecipientOutcome::isTried)) {
            // No relay was even asked (each failed a moment ago): this attempt does not use up a retry.
            Duration delay = configuration.delayBeforeRetry(Math.max(retries, 1));
            mail.setRecipients(deferred);
            RelayQueueState.stampRetry(mail, retries, lastError);
            state.waiting(mail, clock.instant(), clock.instant().plus(delay));
            queue.enQueue(mail, delay);
            LOGGER.info("Mail {} from {}: {} waits {} more, no relay tried: {}", mail.getName(), mail.getMaybeSender().asString(),
                deferred, delay, lastError);
            return;
        }
        if (retries >= configuration.getMaxRetries()) {
            LOGGER.warn("Mail {} from {}: giving up on {} after {} attempts: {}", mail.getName(), mail.getMaybeSender().asString(),
                deferred, retries + 1, lastError);
            bouncer.bounce(mail, deferred, "5.4.7 Delivery to the relay failed " + (retries + 1) + " times, giving up. Last error: " + lastError);
            state.done(mail.getName());
            return;
        }
        int retry = retries + 1;
        Duration delay = configuration.delayBeforeRetry(retry);
        mail.setRecipients(deferred);
        RelayQueueState.stampRetry(mail, retry, lastError);
        state.waiting(mail, clock.instant(), clock.instant().plus(delay));
        queue.enQueue(mail, delay);
        LOGGER.info("Mail {} from {}: {} deferred, retry {} of {} in {}: {}", mail.getName(), mail.getMaybeSender().asString(),
            deferred, retry, configuration.getMaxRetries(), delay, lastError);
    }

    private static String lastError(List<MailAddress> deferred, Map<MailAddress, RecipientOutcome> outcomes) {
        return deferred.stream()
            .map(outcomes::get)
            .map(outcome -> outcome.getRelay().map(relay -> "relay " + relay.asString() + ": ").orElse("") + outcome.getDetail())
            .distinct()
            .collect(Collectors.joining("; "));
    }

    private static List<MailAddress> recipientsWith(Map<MailAddress, RecipientOutcome> outcomes, RecipientOutcome.Kind kind) {
        return outcomes.entrySet().stream()
            .filter(outcome -> outcome.getValue().getKind() == kind)
            .map(Map.Entry::getKey)
            .collect(ImmutableList.toImmutableList());
    }

    /** Makes every waiting mail due now, forgetting which relays just failed (James's own queue flush). */
    public long retryAll() throws MessagingException {
        failedRelays.forget();
        long flushed = manageable().flush();
        LOGGER.info("{}: retry now of every mail waiting in {}: {} mails", mailetName, getQueueName(), flushed);
        return flushed;
    }

    /**
     * Makes the named mails due now. Each is read whole from the queue before it is taken out, then queued
     * again without delay; a mail being delivered at this very moment is left to that delivery.
     */
    public long retry(Collection<String> names, Collection<RelayHost> relays) throws MessagingException {
        relays.forEach(failedRelays::reached);
        long retried = 0;
        for (Mail mail : waitingMails(names)) {
            try {
                if (manageable().remove(ManageableMailQueue.Type.Name, mail.getName()) > 0) {
                    state.waiting(mail, clock.instant(), clock.instant());
                    queue.enQueue(mail);
                    retried++;
                }
            } finally {
                LifecycleUtil.dispose(mail);
            }
        }
        LOGGER.info("{}: retry now of {} in {}: {} mails", mailetName, names, getQueueName(), retried);
        return retried;
    }

    /** Takes the named mail out of the queue and returns it to its sender with a DSN; empty when it is not waiting. */
    public Optional<List<MailAddress>> removeWithDsn(String name, String reason) throws MessagingException {
        for (Mail mail : waitingMails(ImmutableList.of(name))) {
            try {
                if (manageable().remove(ManageableMailQueue.Type.Name, name) == 0) {
                    return Optional.empty();
                }
                state.done(name);
                RelayQueueState.unstamp(mail);
                bouncer.bounce(mail, mail.getRecipients(), reason);
                LOGGER.warn("{}: mail {} from {} removed from {} by the administrator, DSN for {}", mailetName, name,
                    mail.getMaybeSender().asString(), getQueueName(), mail.getRecipients());
                return Optional.of(ImmutableList.copyOf(mail.getRecipients()));
            } finally {
                LifecycleUtil.dispose(mail);
            }
        }
        return Optional.empty();
    }

    // Copies held in memory: the queue may free its own copy (an ActiveMQ blob, say) once the mail is removed.
    private List<Mail> waitingMails(Collection<String> names) throws MessagingException {
        ImmutableList.Builder<Mail> mails = ImmutableList.builder();
        ManageableMailQueue.MailQueueIterator waiting = manageable().browse();
        try {
            while (waiting.hasNext()) {
                Mail mail = waiting.next().getMail();
                if (names.contains(mail.getName())) {
                    Mail copy = MailImpl.duplicate(mail);
                    copy.setName(mail.getName());
                    copy.setMessage(new MimeMessage(mail.getMessage()));
                    mails.add(copy);
                }
            }
        } finally {
            waiting.close();
        }
        return mails.build();
    }

    private ManageableMailQueue manageable() throws MessagingException {
        if (queue instanceof ManageableMailQueue) {
            return (ManageableMailQueue) queue;
        }
        throw new MessagingException("queue " + getQueueName() + " cannot be browsed nor flushed by this James flavour");
    }

    // A persistent queue kept mail over a restart: list it before its next attempt comes.
    private void rememberWaitingMail() {
        if (!(queue instanceof ManageableMailQueue)) {
            return;
        }
        Instant now = clock.instant();
        try {
            ManageableMailQueue.MailQueueIterator waiting = ((ManageableMailQueue) queue).browse();
            try {
                // The views are not disposed: the memory queue hands out the very mail it holds.
                while (waiting.hasNext()) {
                    ManageableMailQueue.MailQueueItemView view = waiting.next();
                    state.waiting(view.getMail(), now, view.getNextDelivery().map(next -> next.toInstant()).orElse(now));
                }
            } finally {
                waiting.close();
            }
        } catch (Exception e) {
            LOGGER.warn("{}: cannot list the mail waiting in queue {}; it is delivered all the same", mailetName, getQueueName(), e);
        }
    }

    @Override
    public void close() {
        if (dequeue != null) {
            dequeue.dispose();
            dequeueScheduler.dispose();
        }
        if (deliveryScheduler != null) {
            deliveryScheduler.disposeGracefully()
                .timeout(Duration.ofSeconds(5))
                .onErrorResume(e -> Mono.empty())
                .block();
        }
    }
}
