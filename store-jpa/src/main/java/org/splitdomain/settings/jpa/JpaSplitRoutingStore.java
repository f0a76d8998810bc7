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

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.LockModeType;
import javax.persistence.PersistenceException;
import javax.persistence.criteria.CriteriaQuery;

import org.apache.james.backends.jpa.EntityManagerUtils;
import org.apache.james.backends.jpa.TransactionRunner;
import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.SharedSplitRoutingStore;
import org.splitdomain.settings.SharedSplitRoutingStore.GenerationMove;
import org.splitdomain.settings.UserRouting;
import org.splitdomain.settings.jpa.model.JPADomainRouting;
import org.splitdomain.settings.jpa.model.JPARoutingGeneration;
import org.splitdomain.settings.jpa.model.JPAUserRouting;

import com.google.common.collect.ImmutableMap;

/**
 * Split-routing settings in a JPA database, shared by every node that uses it: in James's JPA
 * flavour, the database James keeps its users and domains in, in tables of our own
 * ({@code SPLIT_DOMAIN_*}).
 *
 * <p>Every write is one transaction that also increments the one-row generation counter, so
 * {@link #generation()} moves exactly when a write commits, on whichever node.</p>
 */
public class JpaSplitRoutingStore implements SharedSplitRoutingStore, AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(JpaSplitRoutingStore.class);

    /** Opens the store on its own entity manager factory, creating the tables it lacks. */
    public static JpaSplitRoutingStore open(SplitRoutingDatabaseConfiguration configuration) {
        return new JpaSplitRoutingStore(configuration);
    }

    private static EntityManagerFactory entityManagerFactory(SplitRoutingDatabaseConfiguration configuration) {
        try {
            return SplitRoutingPersistenceUnit.createEntityManagerFactory(configuration);
        } catch (RuntimeException e) {
            throw new PersistenceException("Could not open the split-routing settings in " + configuration.databaseForLogs(), e);
        }
    }

    private final EntityManagerFactory entityManagerFactory;
    private final TransactionRunner transactionRunner;
    private volatile Optional<GenerationMove> lastWriteMove = Optional.empty();

    /** On the database {@code james-database.properties} names; closed by the node's copy when James stops. */
    @Inject
    public JpaSplitRoutingStore(SplitRoutingDatabaseConfiguration configuration) {
        this(entityManagerFactory(configuration), configuration.databaseForLogs());
        LOGGER.info("Split-routing settings are stored in {} (tables SPLIT_DOMAIN_*), generation {}",
            configuration.databaseForLogs(), generation());
    }

    /** Takes ownership of {@code entityManagerFactory}: {@link #close()} closes it. */
    public JpaSplitRoutingStore(EntityManagerFactory entityManagerFactory) {
        this(entityManagerFactory, "its database");
    }

    // OpenJPA connects lazily: the first transaction is where a database that cannot be reached shows.
    private JpaSplitRoutingStore(EntityManagerFactory entityManagerFactory, String databaseForLogs) {
        this.entityManagerFactory = entityManagerFactory;
        this.transactionRunner = new TransactionRunner(entityManagerFactory);
        try {
            createGenerationRowIfMissing();
            read("index the forwarded addresses by user", entityManager -> {
                UserRoutingRows.indexAddressesByUser(entityManager);
                return null;
            });
        } catch (RuntimeException e) {
            entityManagerFactory.close();
            throw new PersistenceException("Could not open the split-routing settings in " + databaseForLogs, e);
        }
    }

    // Two nodes starting on an empty database may both insert the row: the loser's failure is fine
    // as long as the row is there afterwards.
    private void createGenerationRowIfMissing() {
        transactionRunner.runAndHandleException(entityManager -> {
            if (entityManager.find(JPARoutingGeneration.class, JPARoutingGeneration.ROW_ID) == null) {
                entityManager.persist(JPARoutingGeneration.startingNow());
            }
        }, e -> {
            if (!generationRowExists()) {
                throw new PersistenceException("Could not create the split-routing generation row", e);
            }
        });
    }

    private boolean generationRowExists() {
        return read("read the split-routing generation", entityManager ->
            entityManager.find(JPARoutingGeneration.class, JPARoutingGeneration.ROW_ID) != null);
    }

    /** The database of the settings, where their history is kept too. */
    EntityManagerFactory entityManagerFactory() {
        return entityManagerFactory;
    }

    @Override
    public long generation() {
        return read("read the split-routing generation", entityManager ->
            Optional.ofNullable(entityManager.find(JPARoutingGeneration.class, JPARoutingGeneration.ROW_ID))
                .map(JPARoutingGeneration::getCounter)
                .orElse(0L));
    }

    @Override
    public Optional<DomainRouting> domainRouting(Domain domain) {
        String key = key(domain);
        return read("read split-routing settings of domain " + key, entityManager ->
            Optional.ofNullable(entityManager.find(JPADomainRouting.class, key))
                .map(JPADomainRouting::toDomainRouting));
    }

    @Override
    public void storeDomainRouting(Domain domain, DomainRouting routing) {
        write("store split-routing settings of domain " + key(domain), entityManager -> put(entityManager, domain, routing));
    }

    private static void put(EntityManager entityManager, Domain domain, DomainRouting routing) {
        String key = key(domain);
        JPADomainRouting existing = entityManager.find(JPADomainRouting.class, key);
        if (existing == null) {
            entityManager.persist(new JPADomainRouting(key, routing));
        } else {
            existing.update(routing);
        }
    }

    /** One transaction and one generation move for the whole import: all of it is there, or none of it. */
    @Override
    public void applyAll(Map<Domain, Optional<DomainRouting>> domains, Map<Username, Optional<UserRouting>> users) {
        write("store split-routing settings of " + domains.size() + " domains and " + users.size() + " users", entityManager -> {
            domains.forEach((domain, routing) -> routing.ifPresentOrElse(
                present -> put(entityManager, domain, present),
                () -> remove(entityManager, domain)));
            // The generation row's move goes out before the rows written beside the persistence context.
            entityManager.flush();
            Map<String, UserRouting> stored = new HashMap<>();
            List<String> removed = new ArrayList<>();
            users.forEach((username, routing) -> routing.ifPresentOrElse(
                present -> stored.put(key(username), present),
                () -> removed.add(key(username))));
            UserRoutingRows.remove(entityManager, removed);
            UserRoutingRows.replace(entityManager, stored);
        });
    }

    @Override
    public void deleteDomainRouting(Domain domain) {
        write("delete split-routing settings of domain " + key(domain), entityManager -> remove(entityManager, domain));
    }

    private static void remove(EntityManager entityManager, Domain domain) {
        Optional.ofNullable(entityManager.find(JPADomainRouting.class, key(domain)))
            .ifPresent(entityManager::remove);
    }

    @Override
    public Map<Domain, DomainRouting> listDomainRoutings() {
        return read("list split-routing settings of domains", entityManager -> all(entityManager, JPADomainRouting.class)
            .stream()
            .collect(ImmutableMap.toImmutableMap(
                routing -> Domain.of(routing.getDomain()),
                JPADomainRouting::toDomainRouting)));
    }

    @Override
    public Optional<UserRouting> userRouting(Username username) {
        String key = key(username);
        return read("read split-routing settings of user " + key, entityManager ->
            Optional.ofNullable(entityManager.find(JPAUserRouting.class, key))
                .map(JPAUserRouting::toUserRouting));
    }

    @Override
    public void storeUserRouting(Username username, UserRouting routing) {
        write("store split-routing settings of user " + key(username), entityManager -> put(entityManager, username, routing));
    }

    private static void put(EntityManager entityManager, Username username, UserRouting routing) {
        String key = key(username);
        JPAUserRouting existing = entityManager.find(JPAUserRouting.class, key);
        if (existing == null) {
            entityManager.persist(new JPAUserRouting(key, routing));
        } else {
            existing.update(routing);
        }
    }

    @Override
    public void deleteUserRouting(Username username) {
        String key = key(username);
        write("delete split-routing settings of user " + key, entityManager ->
            Optional.ofNullable(entityManager.find(JPAUserRouting.class, key))
                .ifPresent(entityManager::remove));
    }

    @Override
    public Map<Username, UserRouting> listUserRoutings() {
        return read("list split-routing settings of users", UserRoutingRows::readAll);
    }

    // A criteria query names the entity by its class. JPQL names it by alias, which OpenJPA resolves
    // with Class.forName on its own class loader: should that loader see another copy of our classes
    // (the jar in lib/ as well as in extensions-jars), queries would return instances of that copy.
    private static <T> List<T> all(EntityManager entityManager, Class<T> entity) {
        CriteriaQuery<T> query = entityManager.getCriteriaBuilder().createQuery(entity);
        query.select(query.from(entity));
        return entityManager.createQuery(query).getResultList();
    }

    private static String key(Domain domain) {
        return domain.asString();
    }

    private static String key(Username username) {
        return username.asString().toLowerCase(Locale.US);
    }

    // The generation row is locked first and stays locked until this transaction commits: writers of
    // every node queue there, so a concurrent writer reads our row instead of inserting its own.
    private void write(String action, Consumer<EntityManager> mutation) {
        AtomicReference<Optional<GenerationMove>> move = new AtomicReference<>(Optional.empty());
        lastWriteMove = Optional.empty();
        try {
            transactionRunner.runAndHandleException(entityManager -> {
                move.set(incrementGeneration(entityManager));
                mutation.accept(entityManager);
            }, e -> {
                throw new WriteFailed(action, e);
            });
        } catch (WriteFailed e) {
            throw e;
        } catch (PersistenceException e) {
            // James's runner rolls back before handing the failure over: on a database that went away, the rollback
            // fails too, and its exception replaces the one the handler would have named.
            throw new WriteFailed(action, e);
        }
        lastWriteMove = move.get();
        LOGGER.debug("Split-routing store: {} done", action);
    }

    private static class WriteFailed extends PersistenceException {
        WriteFailed(String action, Throwable cause) {
            super("Could not " + action, cause);
        }
    }

    // The row is locked until the transaction commits: the counter moves by exactly one per write, whatever the node.
    private Optional<GenerationMove> incrementGeneration(EntityManager entityManager) {
        JPARoutingGeneration generation = entityManager.find(JPARoutingGeneration.class, JPARoutingGeneration.ROW_ID, LockModeType.PESSIMISTIC_WRITE);
        if (generation == null) {
            LOGGER.warn("The split-routing generation row was missing, creating it again");
            entityManager.persist(JPARoutingGeneration.startingNow());
            return Optional.empty();
        }
        long before = generation.getCounter();
        generation.increment();
        return Optional.of(new GenerationMove(before, generation.getCounter()));
    }

    @Override
    public Optional<GenerationMove> lastWriteMove() {
        return lastWriteMove;
    }

    private <T> T read(String action, Function<EntityManager, T> query) {
        EntityManager entityManager = entityManagerFactory.createEntityManager();
        try {
            return query.apply(entityManager);
        } catch (PersistenceException e) {
            throw new PersistenceException("Could not " + action, e);
        } finally {
            EntityManagerUtils.safelyClose(entityManager);
        }
    }

    @PreDestroy
    @Override
    public void close() {
        if (entityManagerFactory.isOpen()) {
            entityManagerFactory.close();
            LOGGER.info("Split-routing settings store closed, and its database connections with it");
        }
    }
}
