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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.inject.Singleton;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailrepository.api.MailRepositoryPath;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.mailrepository.api.Protocol;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.mailets.relay.RelayQueueState.QueuedMail;
import org.splitdomain.relay.WakeClaims;
import org.splitdomain.route.RouteResolutionException;
import org.splitdomain.route.RouteResolver;
import org.splitdomain.settings.RelayHost;

import com.google.common.annotations.VisibleForTesting;
import com.google.common.collect.ImmutableList;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The relay queue as the cluster has it: James's mail queue ({@code outgoing}) for mail that is due, the waiting room
 * (a James mail repository) for mail waiting for a later attempt, and what this node is attempting right now. The
 * engine owns the retry schedule: a deferred mail leaves the queue for the waiting room, and comes back to the queue
 * when it is due or when the operator asks, on every flavour, whatever the queue does with delays (James's RabbitMQ
 * queue ignores them). One per James, set up by {@code SplitRoutingRemoteDelivery}; WebAdmin lists and handles it.
 */
@Singleton
public class RelayQueue implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(RelayQueue.class);
    /**
     * How long a wake may take to put a mail in the queue before the node gives up on it (James's RabbitMQ queue can stall
     * on its broker or its Cassandra view; its own publish gives up after 10 seconds).
     */
    static final Duration ENQUEUE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How long a node that claimed a waiting mail has to move it to the queue before another node may: well past
     * {@link #ENQUEUE_TIMEOUT}, so that an enqueue given up on has ended (and a copy it left half-queued has been taken out
     * of the queue's view) before another node queues the mail again; a mail whose wake failed waits that much longer.
     */
    static final Duration CLAIM_HOLD = Duration.ofMinutes(2);
    private static final int WAKE_CONCURRENCY = 8;

    private static final class Parts {
        private final String mailetName;
        private final MailQueue queue;
        // The memory queue's browse hands out the very mails it holds: they must not be disposed after listing.
        private final boolean browseHandsOutQueuedMails;
        private final RelayWaitingRoom waitingRoom;
        private final String waitingRoomUrl;
        private final RelayBouncer bouncer;
        // Threads of our own: a wake blocks on the waiting room, the claims and the queue, and blocking Reactor's shared
        // threads starved James's RabbitMQ queue, which needs them to complete the very enqueue the wake waited on.
        private final Scheduler wakers;

        private Parts(String mailetName, MailQueue queue, boolean browseHandsOutQueuedMails, RelayWaitingRoom waitingRoom,
                      String waitingRoomUrl, RelayBouncer bouncer) {
            this.mailetName = mailetName;
            this.queue = queue;
            this.browseHandsOutQueuedMails = browseHandsOutQueuedMails;
            this.waitingRoom = waitingRoom;
            this.waitingRoomUrl = waitingRoomUrl;
            this.bouncer = bouncer;
            this.wakers = Schedulers.newBoundedElastic(WAKE_CONCURRENCY, Integer.MAX_VALUE, "split-domain-relay-waker");
        }
    }

    private final MailQueueFactory<?> mailQueueFactory;
    private final MailRepositoryStore repositories;
    private final WakeClaims claims;
    private final RouteResolver routeResolver;
    private final Clock clock;
    private final Duration enqueueTimeout;
    private final RelayQueueState inProgress = new RelayQueueState();
    // The stays this node is moving to the queue: a later look at the waiting room leaves them to the wake under way.
    private final Set<String> waking = ConcurrentHashMap.newKeySet();
    private volatile Parts parts;

    @Inject
    public RelayQueue(MailQueueFactory<?> mailQueueFactory, MailRepositoryStore repositories, WakeClaims claims, RouteResolver routeResolver) {
        this(mailQueueFactory, repositories, claims, routeResolver, Clock.systemUTC());
    }

    public RelayQueue(MailQueueFactory<?> mailQueueFactory, MailRepositoryStore repositories, WakeClaims claims, RouteResolver routeResolver,
                      Clock clock) {
        this(mailQueueFactory, repositories, claims, routeResolver, clock, ENQUEUE_TIMEOUT);
    }

    @VisibleForTesting
    RelayQueue(MailQueueFactory<?> mailQueueFactory, MailRepositoryStore repositories, WakeClaims claims, RouteResolver routeResolver,
               Clock clock, Duration enqueueTimeout) {
        this.enqueueTimeout = enqueueTimeout;
        this.mailQueueFactory = mailQueueFactory;
        this.repositories = repositories;
        this.claims = claims;
        this.routeResolver = routeResolver;
        this.clock = clock;
    }

    /** Opens the queue and the waiting room the mailet's parameters name. */
    public synchronized void setUp(String mailetName, RelayDeliveryConfiguration configuration, RelayBouncer bouncer) throws MessagingException {
        if (parts != null) {
            throw new MessagingException(mailetName + ": the relay queue of this James is already used by mailet " + parts.mailetName
                + ": one James runs one SplitRoutingRemoteDelivery");
        }
        MailQueueName name = MailQueueName.of(configuration.getOutgoing());
        boolean memoryQueues = mailQueueFactory.getClass().getName().equals(PrivateMemoryQueue.JAMES_MEMORY_QUEUES);
        MailQueue queue = memoryQueues
            ? PrivateMemoryQueue.create(name, clock)
            // Each delivery thread finds a mail ready; RabbitMQ lends this many to a node at once.
            : mailQueueFactory.createQueue(name, MailQueueFactory.prefetchCount(configuration.getDeliveryThreads()));
        MailRepositoryUrl url = waitingRoomUrl(mailetName, configuration);
        try {
            parts = new Parts(mailetName, queue, memoryQueues, new RelayWaitingRoom(repositories.select(url)), url.asString(), bouncer);
        } catch (MailRepositoryStore.MailRepositoryStoreException e) {
            throw new MessagingException(mailetName + ": the waiting room " + url.asString() + " ('" + RelayDeliveryConfiguration.WAITING_ROOM
                + "') cannot be opened: " + e.getMessage(), e);
        }
        if (!memoryQueues && url.getProtocol().getValue().equals("memory")) {
            LOGGER.error("{}: queue {} keeps mail over a restart but the waiting room {} does not: mail waiting for a retry is lost when "
                + "James stops. Make mailrepositorystore.xml's defaultProtocol durable (file, cassandra) or set '{}'", mailetName,
                configuration.getOutgoing(), url.asString(), RelayDeliveryConfiguration.WAITING_ROOM);
        }
        LOGGER.info("{}: mail due waits in queue {}, mail waiting for a retry in {} (woken under {})", mailetName, configuration.getOutgoing(),
            url.asString(), claims.getClass().getSimpleName());
    }

    private MailRepositoryUrl waitingRoomUrl(String mailetName, RelayDeliveryConfiguration configuration) throws MessagingException {
        String configured = configuration.getWaitingRoom().orElse(RelayDeliveryConfiguration.DEFAULT_WAITING_ROOM_PATH);
        if (configured.contains("://")) {
            return MailRepositoryUrl.from(configured);
        }
        Protocol protocol = repositories.defaultProtocol().orElseThrow(() -> new MessagingException(mailetName
            + ": mailrepositorystore.xml names no defaultProtocol: give '" + RelayDeliveryConfiguration.WAITING_ROOM
            + "' a URL such as file://" + RelayDeliveryConfiguration.DEFAULT_WAITING_ROOM_PATH));
        return MailRepositoryUrl.fromPathAndProtocol(protocol, MailRepositoryPath.from(configured));
    }

    private Parts parts() {
        Parts running = parts;
        if (running == null) {
            throw new IllegalStateException(RelayClient.NOT_RUNNING + ": there is no split-domain relay queue");
        }
        return running;
    }

    public boolean isSetUp() {
        return parts != null;
    }

    public MailQueue queue() {
        return parts().queue;
    }

    public String getQueueName() {
        return parts().queue.getName().asString();
    }

    public String getWaitingRoomUrl() {
        return parts().waitingRoomUrl;
    }

    /** The mails this node is attempting now. */
    public RelayQueueState inProgress() {
        return inProgress;
    }

    /** Queues a mail that enters the relay: due at once. */
    public void enqueue(Mail mail) throws MessagingException {
        RelayQueueState.stampFirstQueued(mail, clock.instant());
        parts().queue.enQueue(mail);
    }

    /** The mail waits in the waiting room until {@code due}; its queue item can then be acknowledged. */
    public RelayWaitingRoom.Entry park(Mail mail, Instant due) throws MessagingException {
        return parts().waitingRoom.park(mail, due);
    }

    /**
     * Moves every waiting mail that is due to the queue; how many this node moved, once each wake has ended. A mail whose
     * wake is still under way from an earlier call is left to it.
     */
    public Mono<Long> wakeDue() throws MessagingException {
        return wakeAll(parts().waitingRoom.entriesDue(clock.instant()), false);
    }

    /** Every waiting mail is due now: how many were made due. */
    public long retryAll() throws MessagingException {
        long woken = wake(parts().waitingRoom.entries(), true);
        LOGGER.info("{}: retry now of every mail waiting in {}: {} mails", parts().mailetName, parts().waitingRoomUrl, woken);
        return woken;
    }

    /** The waiting mails {@code selected} picks are due now: how many were made due. */
    public long retry(Predicate<QueuedMail> selected) throws MessagingException {
        RelayWaitingRoom waitingRoom = parts().waitingRoom;
        List<RelayWaitingRoom.Entry> picked = new ArrayList<>();
        for (RelayWaitingRoom.Entry entry : waitingRoom.entries()) {
            if (waitingRoom.describe(entry).filter(selected).isPresent()) {
                picked.add(entry);
            }
        }
        long woken = wake(picked, true);
        LOGGER.info("{}: retry now of {} of the mails waiting in {}: {} made due", parts().mailetName, picked.size(), parts().waitingRoomUrl,
            woken);
        return woken;
    }

    /** The named mail is due now; {@code false} when it is not waiting (delivered, removed, or being attempted). */
    public boolean retryMail(String name) throws MessagingException {
        return wake(entriesNamed(name), true) > 0;
    }

    private List<RelayWaitingRoom.Entry> entriesNamed(String name) throws MessagingException {
        return parts().waitingRoom.entries().stream()
            .filter(entry -> entry.getName().equals(name))
            .collect(ImmutableList.toImmutableList());
    }

    private long wake(Collection<RelayWaitingRoom.Entry> entries, boolean retryNow) {
        return wakeAll(entries, retryNow).block();
    }

    private Mono<Long> wakeAll(Collection<RelayWaitingRoom.Entry> entries, boolean retryNow) {
        Parts running = parts();
        // Marked all at once, so that a look at the waiting room while these are being moved leaves every one of them.
        return Flux.defer(() -> Flux.fromIterable(entries.stream().filter(entry -> waking.add(entry.getStayId())).collect(Collectors.toList())))
            .flatMap(entry -> Mono.fromCallable(() -> wake(running, entry, retryNow)).subscribeOn(running.wakers), WAKE_CONCURRENCY)
            .filter(woken -> woken)
            .count();
    }

    // Claimed first, so that of the nodes sharing the waiting room one only moves the mail; queued, then taken out of the
    // waiting room: a node dying in between leaves the stay behind, and the woken copy takes it out when attempted. An
    // enqueue that does not end in time is given up (cancelled, so that it queues nothing later); the claim keeps the
    // other nodes off the mail until CLAIM_HOLD has passed, then one of them (or this node) wakes it again.
    private boolean wake(Parts running, RelayWaitingRoom.Entry entry, boolean retryNow) {
        try {
            if (!claims.claim(entry.getStayId(), CLAIM_HOLD)) {
                return false;
            }
            Optional<Mail> mail = running.waitingRoom.retrieve(entry);
            if (mail.isEmpty()) {
                return false;
            }
            try {
                if (retryNow) {
                    RelayQueueState.stampRetryNow(mail.get());
                }
                RelayQueueState.stampWokenFrom(mail.get(), entry.getKey().asString());
                Mono.from(running.queue.enqueueReactive(mail.get())).block(enqueueTimeout);
                LOGGER.debug("Mail {} due{}: back in queue {}", entry.getName(), retryNow ? " (retry now)" : "", running.queue.getName().asString());
            } finally {
                LifecycleUtil.dispose(mail.get());
            }
            // Queued: the mail is due, whatever comes of taking the stay out (the woken copy takes it out when attempted).
            removeStay(running, entry);
            return true;
        } catch (Exception e) {
            LOGGER.error("{}: mail {} could not be moved from {} to queue {}; it is moved again in {} at the latest", running.mailetName,
                entry.getName(), running.waitingRoomUrl, running.queue.getName().asString(), CLAIM_HOLD, e);
            return false;
        } finally {
            waking.remove(entry.getStayId());
        }
    }

    // The woken copy and its wake may take the stay out at the same moment: a file repository then refuses one of them.
    private void removeStay(Parts running, RelayWaitingRoom.Entry stay) {
        try {
            running.waitingRoom.remove(stay);
        } catch (Exception e) {
            LOGGER.warn("{}: the stay {} of mail {} could not be taken out of {} now: {}", running.mailetName, stay.getStayId(), stay.getName(),
                running.waitingRoomUrl, e.getMessage());
        }
    }

    /**
     * Whether a mail taken from the queue is to be attempted, as the waiting room says. A copy of a mail that has a stay in
     * the waiting room is the one that stay came from (a node died, or the queue failed to acknowledge it, after its
     * attempt put the mail there) or a second copy of a stay woken twice: either way it is dropped, the stay holds the
     * recipients left. Only the copy woken from that very stay goes on, and takes the stay out if the wake left it there.
     */
    public boolean admit(Mail mail) throws MessagingException {
        Parts running = parts();
        Optional<String> wokenFrom = RelayQueueState.wokenFrom(mail);
        boolean admitted = true;
        for (RelayWaitingRoom.Entry stay : entriesNamed(mail.getName())) {
            if (wokenFrom.filter(stay.getKey().asString()::equals).isPresent()) {
                removeStay(running, stay);
            } else {
                admitted = false;
            }
        }
        if (!admitted) {
            LOGGER.warn("{}: mail {} from {} waits in {} already: this copy of it, from queue {}, is dropped", running.mailetName,
                mail.getName(), mail.getMaybeSender().asString(), running.waitingRoomUrl, running.queue.getName().asString());
        }
        return admitted;
    }

    /** Takes the named waiting mail out and returns it to its sender with a DSN; empty when it is not waiting. */
    public Optional<List<MailAddress>> removeWithDsn(String name, String reason) throws MessagingException {
        Parts running = parts();
        for (RelayWaitingRoom.Entry entry : entriesNamed(name)) {
            if (!claims.claim(entry.getStayId(), CLAIM_HOLD)) {
                continue;
            }
            Optional<Mail> mail = running.waitingRoom.retrieve(entry);
            if (mail.isEmpty()) {
                continue;
            }
            try {
                running.waitingRoom.remove(entry);
                RelayQueueState.unstamp(mail.get());
                running.bouncer.bounce(mail.get(), mail.get().getRecipients(), reason);
                LOGGER.warn("{}: mail {} from {} removed from {} by the administrator, DSN for {}", running.mailetName, name,
                    mail.get().getMaybeSender().asString(), running.waitingRoomUrl, mail.get().getRecipients());
                return Optional.of(ImmutableList.copyOf(mail.get().getRecipients()));
            } finally {
                LifecycleUtil.dispose(mail.get());
            }
        }
        return Optional.empty();
    }

    /**
     * Every mail on its way, whichever node queued or tried it: the waiting room's, the queue's (due), and what this
     * node attempts right now. A mail moves on while it is listed (waiting room to queue, queue to an attempt, an attempt
     * to the waiting room): the places are read in that order, and the attempts once more at the end, so that a mail
     * that moves during the listing is found in one of them.
     */
    public List<QueuedMail> mails() throws MessagingException {
        Parts running = parts();
        List<QueuedMail> attemptedBefore = inProgress.mails();
        List<QueuedMail> waiting = new ArrayList<>();
        for (RelayWaitingRoom.Entry entry : running.waitingRoom.entries()) {
            running.waitingRoom.describe(entry).ifPresent(waiting::add);
        }
        List<QueuedMail> queued = new ArrayList<>();
        if (running.queue instanceof ManageableMailQueue) {
            Instant now = clock.instant();
            ManageableMailQueue.MailQueueIterator browsed = ((ManageableMailQueue) running.queue).browse();
            try {
                while (browsed.hasNext()) {
                    Mail mail = browsed.next().getMail();
                    try {
                        queued.add(RelayQueueState.describe(mail, now, now));
                    } finally {
                        if (!running.browseHandsOutQueuedMails) {
                            LifecycleUtil.dispose(mail);
                        }
                    }
                }
            } finally {
                browsed.close();
            }
        }
        Map<String, QueuedMail> byName = new LinkedHashMap<>();
        for (List<QueuedMail> place : List.of(inProgress.mails(), attemptedBefore, waiting, queued)) {
            place.forEach(mail -> byName.putIfAbsent(mail.getName(), mail));
        }
        return ImmutableList.copyOf(byName.values());
    }

    public Optional<QueuedMail> mail(String name) throws MessagingException {
        return mails().stream().filter(mail -> mail.getName().equals(name)).findFirst();
    }

    /**
     * The relays the mail's next attempt will use for its recipients, as the route is decided right now
     * ({@link RelayBacklog#NO_RELAY} for a recipient no relay applies to any more, or whose route cannot be decided now).
     */
    public List<String> nextRelays(QueuedMail mail) {
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

    /** The mail on its way per relay of its next attempt. */
    public List<RelayBacklog> backlog() throws MessagingException {
        return RelayBacklog.of(mails(), this::nextRelays);
    }

    @Override
    public synchronized void close() {
        if (parts != null) {
            if (parts.browseHandsOutQueuedMails) {
                try {
                    parts.queue.close();
                } catch (Exception e) {
                    LOGGER.warn("Could not close the relay queue", e);
                }
            }
            parts.wakers.dispose();
            parts = null;
        }
    }
}
