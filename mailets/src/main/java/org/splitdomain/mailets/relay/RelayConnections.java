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
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import javax.mail.MessagingException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.settings.RelayCredentials;
import org.splitdomain.settings.RelayCredentials.Credential;
import org.splitdomain.settings.RelayHost;

/**
 * Open connections to the relays, as Postfix's connection cache keeps them: a connection that carried a
 * mail waits for the next mail to the same relay (and policy), is checked with RSET before it carries
 * it, and is closed once idle for {@code connectionIdleTime} or in use for {@code connectionReuseTime}.
 * At most {@code maxConnectionsPerRelay} connections to one relay are open at once. James's spool threads borrow without
 * waiting, and only from a relay that answered quickly lately ({@link RelayPace}); the relay queue's threads wait their turn.
 */
public final class RelayConnections implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(RelayConnections.class);

    /** Every connection the relay may have is in use: not a failure of the relay, the mail just waits. */
    public static final class RelayBusyException extends MessagingException {
        public RelayBusyException(String message) {
            super(message);
        }
    }

    /** A connection lent to one delivery; give it back with {@link #release}. */
    public static final class Lease {
        private final RelayConnection connection;
        private final boolean reused;
        private final Object use;

        private Lease(RelayConnection connection, boolean reused, Object use) {
            this.connection = connection;
            this.reused = reused;
            this.use = use;
        }

        public RelayConnection connection() {
            return connection;
        }

        public boolean isReused() {
            return reused;
        }
    }

    private final class Pool {
        private final Semaphore permits = new Semaphore(configuration.getMaxConnectionsPerRelay(), true);
        private final Deque<RelayConnection> idle = new ConcurrentLinkedDeque<>();
        private final RelayPace pace = new RelayPace(configuration.getSlowRelayTime(), configuration.getConnectionReuseTime(), clock);
    }

    private final RelayDeliveryConfiguration configuration;
    private final RelaySessions sessions;
    private final RelayCredentials credentials;
    private final RelayMetrics metrics;
    private final Clock clock;
    private final Map<RelayHost, Pool> pools = new ConcurrentHashMap<>();
    private ScheduledExecutorService sweeper;

    public RelayConnections(RelayDeliveryConfiguration configuration, RelaySessions sessions, RelayCredentials credentials,
                            RelayMetrics metrics, Clock clock) {
        this.configuration = configuration;
        this.sessions = sessions;
        this.credentials = credentials;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Starts closing the connections left idle (a thread of its own): until then idle connections are only checked when borrowed. */
    public synchronized void start() {
        if (sweeper != null) {
            return;
        }
        sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "split-domain-relay-connection-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(200, configuration.getConnectionIdleTime().toMillis() / 2);
        sweeper.scheduleWithFixedDelay(this::closeIdle, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * A connection to the relay: a cached one that still answers RSET, else a new one. Waits while the
     * relay's limit is reached, at most a connect timeout: a relay whose sessions all hang holds back its
     * own mail only.
     */
    public Lease borrow(RelayHost relay) throws MessagingException, InterruptedException {
        return borrow(relay, true);
    }

    /**
     * A new connection to the relay, never a cached one: what a refusal on a reused connection is checked on, as a
     * partner's session may answer with what it knew when it began (Postfix's smtpd keeps its maps until the client leaves).
     */
    public Lease borrowFresh(RelayHost relay) throws MessagingException, InterruptedException {
        return borrow(relay, false);
    }

    private Lease borrow(RelayHost relay, boolean cachedOneWillDo) throws MessagingException, InterruptedException {
        Pool pool = pools.computeIfAbsent(relay, any -> new Pool());
        if (!pool.permits.tryAcquire(configuration.getConnectionTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            throw new RelayBusyException("all " + configuration.getMaxConnectionsPerRelay() + " connections to relay "
                + relay.asString() + " are busy");
        }
        return lease(relay, pool, cachedOneWillDo);
    }

    /**
     * For a thread of James's spool, which must not wait on a relay: a connection at once (a cached one that still answers
     * RSET when {@code cachedOneWillDo}, else a new one), or none when the relay did not answer quickly lately or all its
     * connections are in use. The mail then goes to the relay queue.
     */
    public Optional<Lease> borrowNow(RelayHost relay, boolean cachedOneWillDo) throws MessagingException {
        Pool pool = pools.get(relay);
        if (pool == null || !pool.pace.isQuick() || !pool.permits.tryAcquire()) {
            return Optional.empty();
        }
        return Optional.of(lease(relay, pool, cachedOneWillDo));
    }

    // Holding one of the relay's permits.
    private Lease lease(RelayHost relay, Pool pool, boolean cachedOneWillDo) throws MessagingException {
        Object use = pool.pace.started();
        try {
            for (RelayConnection cached = cachedOneWillDo ? pool.idle.pollFirst() : null; cached != null; cached = pool.idle.pollFirst()) {
                if (!cached.isOlderThan(configuration.getConnectionReuseTime()) && cached.reset()) {
                    metrics.connectionReused(relay);
                    return new Lease(cached, true, use);
                }
                cached.close();
            }
            RelayConnection opened = RelayConnection.open(relay, sessions.newSession(relay), credentials, clock);
            metrics.connectionOpened(relay);
            LOGGER.info("Connection to relay {} opened (tls={}, {} of at most {} in use)", relay.asString(),
                opened.isEncrypted() ? "yes" : "no", configuration.getMaxConnectionsPerRelay() - pool.permits.availablePermits(),
                configuration.getMaxConnectionsPerRelay());
            return new Lease(opened, false, use);
        } catch (MessagingException | RuntimeException e) {
            pool.pace.ended(use, false);
            pool.permits.release();
            throw e;
        }
    }

    /** Gives the connection back: kept for the next mail when {@code reusable}, else closed. */
    public void release(Lease lease, boolean reusable) {
        RelayConnection connection = lease.connection;
        Pool pool = pools.get(connection.getRelay());
        try {
            if (reusable && !connection.isOlderThan(configuration.getConnectionReuseTime())) {
                pool.idle.addFirst(connection);
            } else {
                connection.close();
            }
        } finally {
            pool.pace.ended(lease.use, reusable);
            pool.permits.release();
        }
    }

    private void closeIdle() {
        try {
            for (Pool pool : pools.values()) {
                for (RelayConnection connection : pool.idle) {
                    if ((connection.isIdleLongerThan(configuration.getConnectionIdleTime())
                            || connection.isOlderThan(configuration.getConnectionReuseTime()))
                        && pool.idle.remove(connection)) {
                        connection.close();
                    }
                }
            }
        } catch (RuntimeException e) {
            LOGGER.warn("Could not close idle relay connections", e);
        }
    }

    @Override
    public synchronized void close() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        for (Pool pool : pools.values()) {
            for (RelayConnection connection = pool.idle.pollFirst(); connection != null; connection = pool.idle.pollFirst()) {
                connection.close();
            }
        }
    }
}
