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
package org.splitdomain.guard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.core.Username;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.route.RouteResolutionException;
import org.splitdomain.route.RouteResolver;

import com.google.common.annotations.VisibleForTesting;

/**
 * Ends the sessions already open when their user becomes hosted elsewhere: the login guards refuse new
 * logins at once, and every {@link #SWEEP_PERIOD} this asks {@link RouteResolver#isHostedElsewhere} about the
 * users of the watched sessions (IMAP, POP3) and closes theirs, with the protocol's own goodbye.
 *
 * <p>Sessions are held weakly: one that ended by itself is forgotten once James drops it; one that is not
 * logged in is never closed. A sweep that cannot
 * take the decision (a settings backend down) closes nothing: a database blip must not log everyone out.</p>
 */
@Singleton
public class OpenSessions {
    public static final Duration SWEEP_PERIOD = Duration.ofSeconds(3);
    private static final Logger LOGGER = LoggerFactory.getLogger(OpenSessions.class);

    private final RouteResolver routeResolver;
    private final Duration period;
    // Weak keys compared by identity (James's sessions do not override equals): a session James dropped is forgotten.
    private final Map<Object, Watcher<?>> sessions = Collections.synchronizedMap(new WeakHashMap<>());
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "split-domain-session-guard");
        thread.setDaemon(true);
        return thread;
    });
    private ScheduledFuture<?> sweeps;

    @Inject
    public OpenSessions(RouteResolver routeResolver) {
        this(routeResolver, SWEEP_PERIOD);
    }

    @VisibleForTesting
    OpenSessions(RouteResolver routeResolver, Duration period) {
        this.routeResolver = routeResolver;
        this.period = period;
    }

    /**
     * Watches a session of {@code protocol}; watching it again changes nothing. {@code users} tells who it acts
     * for, empty while it is not logged in (or no more); {@code close} ends it, as the protocol ends a session
     * the server drops. Neither may keep the session: it is handed to them at each call.
     */
    public <S> void watch(String protocol, S session, Function<S, Collection<Username>> users, Consumer<S> close) {
        sessions.putIfAbsent(session, new Watcher<>(protocol, users, close));
        startSweeping();
    }

    private synchronized void startSweeping() {
        if (sweeps == null) {
            sweeps = sweeper.scheduleWithFixedDelay(this::sweepSafely, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOGGER.warn("Could not check the open sessions against the route decision", e);
        }
    }

    /** Closes the watched sessions whose user is hosted elsewhere now; how many it closed. */
    @VisibleForTesting
    int sweep() {
        List<Map.Entry<Object, Watcher<?>>> snapshot;
        synchronized (sessions) {
            snapshot = new ArrayList<>(sessions.entrySet());
        }
        Map<Username, Boolean> hostedElsewhere = new HashMap<>();
        int closed = 0;
        for (Map.Entry<Object, Watcher<?>> entry : snapshot) {
            Watcher<?> watcher = entry.getValue();
            List<Username> refused = watcher.users(entry.getKey()).stream()
                .filter(user -> hostedElsewhere.computeIfAbsent(user, this::isHostedElsewhere))
                .collect(Collectors.toList());
            if (!refused.isEmpty()) {
                sessions.remove(entry.getKey());
                LOGGER.info("{} session of {} closed: hosted on the other system (every address is relayed)", watcher.protocol,
                    refused.stream().map(Username::asString).collect(Collectors.joining(", ")));
                watcher.close(entry.getKey());
                closed++;
            }
        }
        return closed;
    }

    private boolean isHostedElsewhere(Username user) {
        try {
            return routeResolver.isHostedElsewhere(user);
        } catch (RouteResolutionException e) {
            LOGGER.warn("Cannot tell whether {} is hosted elsewhere: its open sessions stay until the next check", user.asString(), e);
            return false;
        }
    }

    @VisibleForTesting
    int watchedCount() {
        return sessions.size();
    }

    @PreDestroy
    public void stop() {
        sweeper.shutdownNow();
    }

    // Holds what to do with a session, never the session itself: it is the weak key of the map.
    private static final class Watcher<S> {
        private final String protocol;
        private final Function<S, Collection<Username>> users;
        private final Consumer<S> close;

        private Watcher(String protocol, Function<S, Collection<Username>> users, Consumer<S> close) {
            this.protocol = protocol;
            this.users = users;
            this.close = close;
        }

        @SuppressWarnings("unchecked")
        Collection<Username> users(Object session) {
            return users.apply((S) session);
        }

        @SuppressWarnings("unchecked")
        void close(Object session) {
            try {
                close.accept((S) session);
            } catch (RuntimeException e) {
                LOGGER.warn("Could not close a {} session", protocol, e);
            }
        }
    }
}
