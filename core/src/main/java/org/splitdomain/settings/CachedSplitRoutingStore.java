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
package org.splitdomain.settings;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.annotation.PreDestroy;
import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's copy of a {@link SharedSplitRoutingStore}. Routing asks for settings once per
 * recipient, so reads only ever touch memory; writes go to the database first and then to the
 * copy, so they are in effect at once on the node that took them. Every {@code refreshPeriod}
 * one cheap read of {@link SharedSplitRoutingStore#generation()} tells whether another node
 * wrote: only then is the whole copy reloaded.
 *
 * <p>If the database cannot be read, routing goes on with the last copy and a warning is
 * logged at every failed refresh; writes fail, so nothing is half-written.</p>
 */
public class CachedSplitRoutingStore implements SplitRoutingStore, AutoCloseable {
    public static final Duration DEFAULT_REFRESH_PERIOD = Duration.ofSeconds(1);
    private static final Logger LOGGER = LoggerFactory.getLogger(CachedSplitRoutingStore.class);

    private final SharedSplitRoutingStore shared;
    private final ScheduledExecutorService refresher;
    // Writes and reloads take this lock so that a reload never replaces the copy with data read
    // before a local write; reads take no lock.
    private final Object lock = new Object();
    private volatile MemorySplitRoutingStore copy;
    private long copyGeneration;

    // Built by Guice (not in a @Provides method) so that James's @PreDestroy handling stops the refresher.
    @Inject
    public CachedSplitRoutingStore(SharedSplitRoutingStore shared) {
        this(shared, DEFAULT_REFRESH_PERIOD);
    }

    public CachedSplitRoutingStore(SharedSplitRoutingStore shared, Duration refreshPeriod) {
        this.shared = shared;
        synchronized (lock) {
            reload(shared.generation());
        }
        this.refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "split-routing-cache-refresh");
            thread.setDaemon(true);
            return thread;
        });
        refresher.scheduleWithFixedDelay(this::refreshQuietly, refreshPeriod.toMillis(), refreshPeriod.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reloads the copy when another node (or this one) wrote since the last load. */
    public void refresh() {
        synchronized (lock) {
            long generation = shared.generation();
            // Every store commits a write whole (a JPA transaction, a Cassandra lightweight transaction naming a staged
            // write): whoever reads a generation reads at least what was committed up to it.
            if (generation != copyGeneration) {
                reload(generation);
            }
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOGGER.warn("Could not refresh split-routing settings from the database; routing goes on with the settings loaded at generation {}", copyGeneration, e);
        }
    }

    // The generation is read before the data: a write that lands while we read moves it again,
    // so the next refresh picks that write up.
    private void reload(long generation) {
        long start = System.nanoTime();
        MemorySplitRoutingStore fresh = new MemorySplitRoutingStore();
        shared.listDomainRoutings().forEach(fresh::storeDomainRouting);
        Map<Username, UserRouting> users = shared.listUserRoutings();
        users.forEach(fresh::storeUserRouting);
        copy = fresh;
        copyGeneration = generation;
        LOGGER.debug("Loaded split-routing settings of {} domains and {} users (generation {}) in {} ms",
            fresh.listDomainRoutings().size(), users.size(), generation, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    @Override
    public Optional<DomainRouting> domainRouting(Domain domain) {
        return copy.domainRouting(domain);
    }

    @Override
    public Map<Domain, DomainRouting> listDomainRoutings() {
        return copy.listDomainRoutings();
    }

    @Override
    public Optional<UserRouting> userRouting(Username username) {
        return copy.userRouting(username);
    }

    @Override
    public Map<Username, UserRouting> listUserRoutings() {
        return copy.listUserRoutings();
    }

    @Override
    public void storeDomainRouting(Domain domain, DomainRouting routing) {
        writeThrough(store -> store.storeDomainRouting(domain, routing));
    }

    @Override
    public void deleteDomainRouting(Domain domain) {
        writeThrough(store -> store.deleteDomainRouting(domain));
    }

    @Override
    public void storeUserRouting(Username username, UserRouting routing) {
        writeThrough(store -> store.storeUserRouting(username, routing));
    }

    @Override
    public void deleteUserRouting(Username username) {
        writeThrough(store -> store.deleteUserRouting(username));
    }

    @Override
    public void applyAll(Map<Domain, Optional<DomainRouting>> domains, Map<Username, Optional<UserRouting>> users) {
        writeThrough(store -> store.applyAll(domains, users));
    }

    // The database first: if it refuses the write, the copy keeps agreeing with it.
    private void writeThrough(Consumer<SplitRoutingStore> write) {
        synchronized (lock) {
            write.accept(shared);
            write.accept(copy);
            // Our copy was current and nobody else wrote in between: it now holds what the database holds.
            shared.lastWriteMove()
                .filter(move -> move.getBefore() == copyGeneration)
                .ifPresent(move -> copyGeneration = move.getAfter());
        }
    }

    /**
     * Stops the refresher, then closes the database store when it holds resources (the JPA store's entity manager
     * factory and connection pool): in James 3.8.1 the store's own {@code @PreDestroy} is never run at
     * {@code GuiceJamesServer.stop()} (no type listener hears it), while this one is.
     */
    @PreDestroy
    @Override
    public void close() {
        refresher.shutdownNow();
        try {
            if (!refresher.awaitTermination(5, TimeUnit.SECONDS)) {
                LOGGER.warn("The split-routing refresher did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (shared instanceof AutoCloseable) {
            try {
                ((AutoCloseable) shared).close();
            } catch (Exception e) {
                LOGGER.warn("Could not close the split-routing settings store", e);
            }
        }
    }
}
