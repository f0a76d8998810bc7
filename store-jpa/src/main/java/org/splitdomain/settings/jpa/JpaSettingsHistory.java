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
package org.splitdomain.settings.jpa;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.PersistenceException;
import javax.persistence.TypedQuery;

import org.apache.james.backends.jpa.TransactionRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.settings.history.SettingsChange;
import org.splitdomain.settings.history.SettingsHistory;
import org.splitdomain.settings.jpa.model.JPASettingsChange;

/**
 * The history in the split-routing database, shared by every node on it. Read newest first a page at a time,
 * each page after the last row of the one before (so rows written meanwhile neither shift nor repeat a page);
 * rows past the retention are invisible at once and deleted at most once an hour by the node that writes.
 */
public class JpaSettingsHistory implements SettingsHistory {
    private static final Logger LOGGER = LoggerFactory.getLogger(JpaSettingsHistory.class);
    static final int PAGE_SIZE = 500;
    private static final Duration PURGE_INTERVAL = Duration.ofHours(1);
    private static final String NEWEST_FIRST = " ORDER BY c.atMillis DESC, c.id DESC";

    private final EntityManagerFactory entityManagerFactory;
    private final TransactionRunner transactionRunner;
    private final Clock clock;
    private volatile Instant lastPurge = Instant.EPOCH;

    public JpaSettingsHistory(JpaSplitRoutingStore store) {
        this(store.entityManagerFactory(), Clock.systemUTC());
    }

    JpaSettingsHistory(EntityManagerFactory entityManagerFactory, Clock clock) {
        this.entityManagerFactory = entityManagerFactory;
        this.transactionRunner = new TransactionRunner(entityManagerFactory);
        this.clock = clock;
    }

    @Override
    public void record(List<SettingsChange> changes) {
        transactionRunner.runAndHandleException(entityManager -> changes.forEach(change ->
            entityManager.persist(new JPASettingsChange(change))), e -> {
                throw new PersistenceException("Could not record " + changes.size() + " split-routing settings change(s)", e);
            });
        purgeExpired();
    }

    private void purgeExpired() {
        Instant now = clock.instant();
        if (lastPurge.plus(PURGE_INTERVAL).isAfter(now)) {
            return;
        }
        lastPurge = now;
        try {
            transactionRunner.run(entityManager -> {
                int purged = entityManager.createQuery("DELETE FROM SplitDomainSettingsChange c WHERE c.atMillis < :oldest")
                    .setParameter("oldest", oldest().toEpochMilli())
                    .executeUpdate();
                LOGGER.debug("Split-routing history: {} changes older than {} deleted", purged, RETENTION);
            });
        } catch (PersistenceException e) {
            // They stay invisible all the same; the next write tries again an hour later.
            LOGGER.warn("Could not delete split-routing history past its retention", e);
        }
    }

    private Instant oldest() {
        return clock.instant().minus(RETENTION);
    }

    @Override
    public Stream<SettingsChange> newestFirst(Optional<Instant> since) {
        Instant from = since.filter(time -> time.isAfter(oldest())).orElse(oldest());
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(new Pages(from.toEpochMilli()), Spliterator.ORDERED), false);
    }

    private class Pages implements Iterator<SettingsChange> {
        private final long fromMillis;
        private Iterator<JPASettingsChange> page;
        private Optional<JPASettingsChange> last = Optional.empty();
        private boolean exhausted;

        Pages(long fromMillis) {
            this.fromMillis = fromMillis;
        }

        @Override
        public boolean hasNext() {
            if ((page == null || !page.hasNext()) && !exhausted) {
                List<JPASettingsChange> rows = read();
                exhausted = rows.size() < PAGE_SIZE;
                page = rows.iterator();
            }
            return page.hasNext();
        }

        @Override
        public SettingsChange next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            JPASettingsChange row = page.next();
            last = Optional.of(row);
            return row.toChange();
        }

        private List<JPASettingsChange> read() {
            EntityManager entityManager = entityManagerFactory.createEntityManager();
            try {
                TypedQuery<JPASettingsChange> query = last
                    .map(row -> entityManager.createQuery("SELECT c FROM SplitDomainSettingsChange c WHERE c.atMillis >= :from "
                            + "AND (c.atMillis < :lastAt OR (c.atMillis = :lastAt AND c.id < :lastId))" + NEWEST_FIRST, JPASettingsChange.class)
                        .setParameter("lastAt", row.getAtMillis())
                        .setParameter("lastId", row.getId()))
                    .orElseGet(() -> entityManager.createQuery("SELECT c FROM SplitDomainSettingsChange c WHERE c.atMillis >= :from"
                        + NEWEST_FIRST, JPASettingsChange.class));
                return query.setParameter("from", fromMillis).setMaxResults(PAGE_SIZE).getResultList();
            } finally {
                entityManager.close();
            }
        }
    }
}
