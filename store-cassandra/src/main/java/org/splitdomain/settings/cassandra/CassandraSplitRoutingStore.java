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
package org.splitdomain.settings.cassandra;

import static com.datastax.oss.driver.api.querybuilder.QueryBuilder.bindMarker;
import static com.datastax.oss.driver.api.querybuilder.QueryBuilder.deleteFrom;
import static com.datastax.oss.driver.api.querybuilder.QueryBuilder.insertInto;
import static com.datastax.oss.driver.api.querybuilder.QueryBuilder.selectFrom;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.StreamSupport;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.SharedSplitRoutingStore;
import org.splitdomain.settings.UserRouting;
import org.splitdomain.settings.cassandra.CassandraSplitRoutingTables.Domains;
import org.splitdomain.settings.cassandra.CassandraSplitRoutingTables.Users;
import org.splitdomain.settings.cassandra.CassandraSplitRoutingTables.Commits;
import org.splitdomain.settings.cassandra.StagedWrites.Changes;
import org.splitdomain.settings.cassandra.StagedWrites.StagedWrite;
import org.splitdomain.settings.cassandra.StagedWrites.Written;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

/**
 * Split-routing settings in the Cassandra keyspace of the distributed James, shared by all its nodes. The tables
 * ({@link CassandraSplitRoutingTables}) must exist before this store is built, because its statements are prepared
 * against them.
 *
 * <p>Every write, a single setting as an import of a million, is staged, then committed by one lightweight transaction
 * on the commit table ({@link StagedWrites}, {@link CassandraSplitRoutingTables.Commits}): all of it is visible or none, on every node, and the counter that nodes
 * poll moves by exactly one. The writer knows the counter before and after its commit, so its own node need not
 * reload for it. A committed write is applied to the settings tables in the background, oldest first, by its writer
 * or, should that node stop, by any node that sees it still pending after {@link #PENDING_WRITE_TAKEOVER}.</p>
 */
public class CassandraSplitRoutingStore implements SharedSplitRoutingStore, AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(CassandraSplitRoutingStore.class);
    static final Duration PENDING_WRITE_TAKEOVER = Duration.ofSeconds(60);
    /** Concurrent writers retry a commit that another one won; each retry is a Paxos round on one row. */
    private static final int COMMIT_ATTEMPTS = 50;
    private static final String WRITTEN = "written";

    private final CqlSession session;
    private final ConsistencyLevel consistency;
    private final Duration pendingWriteTakeover;
    private final PreparedStatement selectAllDomains;
    private final PreparedStatement selectDomain;
    private final PreparedStatement insertDomain;
    private final PreparedStatement deleteDomain;
    private final PreparedStatement selectAllUsers;
    private final PreparedStatement selectUser;
    private final PreparedStatement insertUser;
    private final PreparedStatement deleteUser;
    private final PreparedStatement selectCounters;
    private final PreparedStatement createCounters;
    private final PreparedStatement moveLatest;
    private final PreparedStatement insertCommit;
    private final PreparedStatement selectPending;
    private final PreparedStatement moveApplied;
    private final StagedWrites staged;
    private final ExecutorService applier;
    private final AtomicBoolean applyQueued = new AtomicBoolean();
    private volatile Optional<GenerationMove> lastWriteMove = Optional.empty();

    /** At {@code QUORUM}, James's own default for its regular reads and writes. */
    public CassandraSplitRoutingStore(CqlSession session) {
        this(session, DefaultConsistencyLevel.QUORUM);
    }

    /**
     * Every read and write at {@code consistency}: with a level that makes reads and writes overlap (QUORUM, as
     * James's {@code cassandra.consistency_level.regular}), a node that sees a new counter reads what it commits.
     * Commits are lightweight transactions, at SERIAL.
     */
    public CassandraSplitRoutingStore(CqlSession session, ConsistencyLevel consistency) {
        this(session, consistency, PENDING_WRITE_TAKEOVER);
    }

    CassandraSplitRoutingStore(CqlSession session, ConsistencyLevel consistency, Duration pendingWriteTakeover) {
        this.session = session;
        this.consistency = consistency;
        this.pendingWriteTakeover = pendingWriteTakeover;
        this.selectAllDomains = session.prepare(selectFrom(Domains.TABLE_NAME)
            .columns(Domains.DOMAIN, Domains.RELAYS, Domains.FORWARD_UNKNOWN, Domains.VERIFY_RECIPIENTS)
            .writeTime(Domains.FORWARD_UNKNOWN).as(WRITTEN)
            .build());
        this.selectDomain = session.prepare(selectFrom(Domains.TABLE_NAME)
            .columns(Domains.DOMAIN, Domains.RELAYS, Domains.FORWARD_UNKNOWN, Domains.VERIFY_RECIPIENTS)
            .writeTime(Domains.FORWARD_UNKNOWN).as(WRITTEN)
            .whereColumn(Domains.DOMAIN).isEqualTo(bindMarker(Domains.DOMAIN))
            .build());
        this.insertDomain = session.prepare(insertInto(Domains.TABLE_NAME)
            .value(Domains.DOMAIN, bindMarker(Domains.DOMAIN))
            .value(Domains.RELAYS, bindMarker(Domains.RELAYS))
            .value(Domains.FORWARD_UNKNOWN, bindMarker(Domains.FORWARD_UNKNOWN))
            .value(Domains.VERIFY_RECIPIENTS, bindMarker(Domains.VERIFY_RECIPIENTS))
            .build());
        this.deleteDomain = session.prepare(deleteFrom(Domains.TABLE_NAME)
            .whereColumn(Domains.DOMAIN).isEqualTo(bindMarker(Domains.DOMAIN))
            .build());
        this.selectAllUsers = session.prepare(selectFrom(Users.TABLE_NAME)
            .columns(Users.USERNAME, Users.THIRD_PARTY, Users.FORWARDED_ADDRESSES)
            .writeTime(Users.THIRD_PARTY).as(WRITTEN)
            .build());
        this.selectUser = session.prepare(selectFrom(Users.TABLE_NAME)
            .columns(Users.USERNAME, Users.THIRD_PARTY, Users.FORWARDED_ADDRESSES)
            .writeTime(Users.THIRD_PARTY).as(WRITTEN)
            .whereColumn(Users.USERNAME).isEqualTo(bindMarker(Users.USERNAME))
            .build());
        this.insertUser = session.prepare(insertInto(Users.TABLE_NAME)
            .value(Users.USERNAME, bindMarker(Users.USERNAME))
            .value(Users.THIRD_PARTY, bindMarker(Users.THIRD_PARTY))
            .value(Users.FORWARDED_ADDRESSES, bindMarker(Users.FORWARDED_ADDRESSES))
            .build());
        this.deleteUser = session.prepare(deleteFrom(Users.TABLE_NAME)
            .whereColumn(Users.USERNAME).isEqualTo(bindMarker(Users.USERNAME))
            .build());
        String commits = Commits.TABLE_NAME;
        this.selectCounters = session.prepare("SELECT DISTINCT " + Commits.ID + ", " + Commits.LATEST + ", " + Commits.LATEST_MICROS + ", "
            + Commits.APPLIED + " FROM " + commits + " WHERE " + Commits.ID + " = :id");
        this.createCounters = session.prepare("INSERT INTO " + commits + " (" + Commits.ID + ", " + Commits.LATEST + ", " + Commits.LATEST_MICROS + ", "
            + Commits.APPLIED + ") VALUES (:id, 0, 0, 0) IF NOT EXISTS");
        this.moveLatest = session.prepare("UPDATE " + commits + " SET " + Commits.LATEST + " = :next, " + Commits.LATEST_MICROS + " = :micros"
            + " WHERE " + Commits.ID + " = :id IF " + Commits.LATEST + " = :expected");
        this.insertCommit = session.prepare("INSERT INTO " + commits + " (" + Commits.ID + ", " + Commits.COUNTER + ", " + Commits.WRITE_ID + ", "
            + Commits.CHUNKS + ", " + Commits.COMMITTED_MICROS + ") VALUES (:id, :next, :write, :chunks, :micros) USING TTL "
            + StagedWrites.CHUNK_LIFETIME.toSeconds());
        this.selectPending = session.prepare("SELECT " + Commits.COUNTER + ", " + Commits.WRITE_ID + ", " + Commits.CHUNKS + ", "
            + Commits.COMMITTED_MICROS + " FROM " + commits + " WHERE " + Commits.ID + " = :id AND " + Commits.COUNTER + " > :applied");
        this.moveApplied = session.prepare("UPDATE " + commits + " SET " + Commits.APPLIED + " = :counter"
            + " WHERE " + Commits.ID + " = :id IF " + Commits.APPLIED + " < :counter");
        this.staged = new StagedWrites(session, consistency);
        this.applier = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "split-routing-applier");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public Optional<DomainRouting> domainRouting(Domain domain) {
        List<StagedWrite> pending = pendingWrites();
        Map<Domain, Written<DomainRouting>> tables = domains(execute(selectDomain.bind().setString(Domains.DOMAIN, domain.asString())));
        return Optional.ofNullable(staged.overlay(tables, pending, write -> only(staged.readDomains(write), domain)).get(domain));
    }

    @Override
    public Map<Domain, DomainRouting> listDomainRoutings() {
        // Pending writes first: one applied and forgotten meanwhile is then in the tables read after.
        List<StagedWrite> pending = pendingWrites();
        return staged.overlay(domains(execute(selectAllDomains.bind())), pending, staged::readDomains);
    }

    private static Map<Domain, Written<DomainRouting>> domains(ResultSet rows) {
        return written(rows, row -> Domain.of(row.getString(Domains.DOMAIN)), CassandraSplitRoutingStore::toDomainRouting);
    }

    // Each setting with the Cassandra time of its write, which decides whether a pending write is laid over it.
    private static <K, V> Map<K, Written<V>> written(ResultSet rows, Function<Row, K> key, BiFunction<K, Row, V> setting) {
        return StreamSupport.stream(rows.spliterator(), false)
            .map(row -> {
                K name = key.apply(row);
                return Map.entry(name, new Written<>(setting.apply(name, row), row.getLong(WRITTEN)));
            })
            .collect(ImmutableMap.toImmutableMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @Override
    public Optional<UserRouting> userRouting(Username username) {
        List<StagedWrite> pending = pendingWrites();
        Map<Username, Written<UserRouting>> tables = users(execute(selectUser.bind().setString(Users.USERNAME, username.asString())));
        return Optional.ofNullable(staged.overlay(tables, pending, write -> only(staged.read(write).users, username)).get(username));
    }

    @Override
    public Map<Username, UserRouting> listUserRoutings() {
        List<StagedWrite> pending = pendingWrites();
        return staged.overlay(users(execute(selectAllUsers.bind())), pending, write -> staged.read(write).users);
    }

    private static Map<Username, Written<UserRouting>> users(ResultSet rows) {
        return written(rows, row -> Username.of(row.getString(Users.USERNAME)), CassandraSplitRoutingStore::toUserRouting);
    }

    private static <K, V> Map<K, V> only(Map<K, V> changes, K key) {
        return Optional.ofNullable(changes.get(key))
            .map(change -> ImmutableMap.of(key, change))
            .orElse(ImmutableMap.of());
    }

    @Override
    public void storeDomainRouting(Domain domain, DomainRouting routing) {
        write(new Changes(ImmutableMap.of(domain, Optional.of(routing)), ImmutableMap.of()), "domain " + domain.asString());
    }

    @Override
    public void deleteDomainRouting(Domain domain) {
        write(new Changes(ImmutableMap.of(domain, Optional.empty()), ImmutableMap.of()), "domain " + domain.asString());
    }

    @Override
    public void storeUserRouting(Username username, UserRouting routing) {
        write(new Changes(ImmutableMap.of(), ImmutableMap.of(username, Optional.of(routing))), "user " + username.asString());
    }

    @Override
    public void deleteUserRouting(Username username) {
        write(new Changes(ImmutableMap.of(), ImmutableMap.of(username, Optional.empty())), "user " + username.asString());
    }

    /** An import: one staged write, one commit, one counter move, however many entries. */
    @Override
    public void applyAll(Map<Domain, Optional<DomainRouting>> domains, Map<Username, Optional<UserRouting>> users) {
        write(new Changes(domains, users), domains.size() + " domains and " + users.size() + " users");
    }

    private void write(Changes changes, String what) {
        lastWriteMove = Optional.empty();
        try {
            stageAndCommit(changes, what);
        } catch (DriverException e) {
            // Cassandra's error alone (a time-out, an unavailable replica) does not say which settings were not written.
            throw new IllegalStateException("Could not commit split-routing settings of " + what + ": " + e.getMessage(), e);
        }
    }

    private void stageAndCommit(Changes changes, String what) {
        StagedWrite write = staged.stage(changes);
        for (int attempt = 1; attempt <= COMMIT_ATTEMPTS; attempt++) {
            Row counters = counters();
            long latest = counters.getLong(Commits.LATEST);
            // Later than every commit before it, whatever this node's clock says.
            long micros = Math.max(TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()), counters.getLong(Commits.LATEST_MICROS) + 1);
            // One partition: the condition holds for both statements, which Paxos applies together or not at all.
            boolean committed = session.execute(BatchStatement.newInstance(DefaultBatchType.LOGGED,
                    moveLatest.bind()
                        .setLong("next", latest + 1)
                        .setLong("micros", micros)
                        .setString("id", Commits.SETTINGS_PARTITION)
                        .setLong("expected", latest),
                    insertCommit.bind()
                        .setString("id", Commits.SETTINGS_PARTITION)
                        .setLong("next", latest + 1)
                        .setUuid("write", write.id())
                        .setInt("chunks", write.chunks())
                        .setLong("micros", micros))
                    .setConsistencyLevel(consistency))
                .wasApplied();
            if (committed) {
                lastWriteMove = Optional.of(new GenerationMove(latest, latest + 1));
                LOGGER.debug("Committed split-routing settings of {} as generation {}", what, latest + 1);
                applyPendingInBackground();
                return;
            }
        }
        throw new IllegalStateException("Could not commit split-routing settings of " + what + ": " + COMMIT_ATTEMPTS
            + " other writes committed first");
    }

    @Override
    public Optional<GenerationMove> lastWriteMove() {
        return lastWriteMove;
    }

    private void applyPendingInBackground() {
        if (!applyQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            applier.execute(() -> {
                applyQueued.set(false);
                try {
                    applyPending();
                } catch (RuntimeException e) {
                    LOGGER.warn("Could not apply committed split-routing writes to the settings tables yet; readers see them all the same, "
                        + "and a node applies them again {} s after their commit", pendingWriteTakeover.toSeconds(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            applyQueued.set(false);
            LOGGER.warn("The split-routing store is closed: its committed writes are applied by another node {} s after their commit",
                pendingWriteTakeover.toSeconds());
        }
    }

    /**
     * Writes each pending write into the settings tables at its commit time, then forgets it, oldest first: a write is
     * forgotten only once every older one is, so no reader lays an older write over a newer one. Idempotent.
     */
    void applyPending() {
        for (StagedWrite write : pendingWrites(counters())) {
            long start = System.nanoTime();
            Changes changes = staged.read(write);
            List<BoundStatement> statements = new ArrayList<>(changes.size());
            changes.domains.forEach((domain, change) -> statements.add(change
                .map(routing -> insertDomain.bind()
                    .setString(Domains.DOMAIN, domain.asString())
                    .setList(Domains.RELAYS, storedRelays(routing), String.class)
                    .setBoolean(Domains.FORWARD_UNKNOWN, routing.isForwardUnknown())
                    .setBoolean(Domains.VERIFY_RECIPIENTS, routing.isVerifyRecipients()))
                .orElseGet(() -> deleteDomain.bind().setString(Domains.DOMAIN, domain.asString()))
                .setQueryTimestamp(write.committedMicros())));
            changes.users.forEach((username, change) -> statements.add(change
                .map(routing -> insertUser.bind()
                    .setString(Users.USERNAME, username.asString())
                    .setBoolean(Users.THIRD_PARTY, routing.isThirdParty())
                    .setList(Users.FORWARDED_ADDRESSES, storedForwardedAddresses(routing), String.class))
                .orElseGet(() -> deleteUser.bind().setString(Users.USERNAME, username.asString()))
                .setQueryTimestamp(write.committedMicros())));
            staged.executeAll(statements);
            // Also through Paxos: a plain write's timestamp could lose against the commits' (and a stale mark is harmless).
            execute(moveApplied.bind()
                .setLong("counter", write.counter())
                .setString("id", Commits.SETTINGS_PARTITION));
            LOGGER.debug("Applied split-routing write {} ({} settings) to the settings tables in {} ms", write.id(), changes.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
    }

    static List<String> storedRelays(DomainRouting routing) {
        return routing.getRelays().stream().map(RelayHost::asStored).collect(ImmutableList.toImmutableList());
    }

    // "Every address" is an empty list, not null: a null cell is a tombstone, and the reload of every node
    // once a second would read one per such user.
    static List<String> storedForwardedAddresses(UserRouting routing) {
        return routing.getForwardedAddresses()
            .map(addresses -> addresses.stream().map(MailAddress::asString).collect(ImmutableList.toImmutableList()))
            .orElse(ImmutableList.of());
    }

    private ResultSet execute(BoundStatement statement) {
        return session.execute(statement.setConsistencyLevel(consistency));
    }

    // The counters are created on first use (also after a truncation).
    private Row counters() {
        Row counters = execute(selectCounters.bind().setString("id", Commits.SETTINGS_PARTITION)).one();
        if (counters != null && !counters.isNull(Commits.LATEST)) {
            return counters;
        }
        execute(createCounters.bind().setString("id", Commits.SETTINGS_PARTITION));
        return execute(selectCounters.bind().setString("id", Commits.SETTINGS_PARTITION)).one();
    }

    /** The committed writes not applied yet, oldest first. */
    List<StagedWrite> pendingWrites() {
        return pendingWrites(counters());
    }

    private List<StagedWrite> pendingWrites(Row counters) {
        if (counters.getLong(Commits.APPLIED) == counters.getLong(Commits.LATEST)) {
            return ImmutableList.of();
        }
        return StreamSupport.stream(execute(selectPending.bind()
                    .setString("id", Commits.SETTINGS_PARTITION)
                    .setLong("applied", counters.getLong(Commits.APPLIED)))
                .spliterator(), false)
            .map(StagedWrite::committed)
            .collect(ImmutableList.toImmutableList());
    }

    /**
     * The counter of the last commit. Read once a second by every node, in one read of the partition's static cells:
     * writes that their writer left pending are applied from here.
     */
    @Override
    public long generation() {
        Row counters = counters();
        long latest = counters.getLong(Commits.LATEST);
        if (latest != counters.getLong(Commits.APPLIED)) {
            long staleBefore = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()) - TimeUnit.NANOSECONDS.toMicros(pendingWriteTakeover.toNanos());
            pendingWrites(counters).stream()
                .findFirst()
                .filter(oldest -> oldest.committedMicros() < staleBefore)
                .ifPresent(oldest -> {
                    LOGGER.info("The split-routing write {} (generation {}) is still pending {} s after its commit: applying it here",
                        oldest.id(), oldest.counter(), pendingWriteTakeover.toSeconds());
                    applyPendingInBackground();
                });
        }
        return latest;
    }

    /** Stops applying; a write left pending is applied by a node {@link #PENDING_WRITE_TAKEOVER} after its commit. */
    @Override
    public void close() {
        applier.shutdownNow();
        try {
            if (!applier.awaitTermination(10, TimeUnit.SECONDS)) {
                LOGGER.warn("The split-routing applier did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static DomainRouting toDomainRouting(Domain domain, Row row) {
        try {
            List<RelayHost> relays = row.getList(Domains.RELAYS, String.class).stream()
                .map(RelayHost::parseStored)
                .collect(ImmutableList.toImmutableList());
            boolean forwardUnknown = row.getBoolean(Domains.FORWARD_UNKNOWN);
            boolean verifyRecipients = row.isNull(Domains.VERIFY_RECIPIENTS) ? forwardUnknown : row.getBoolean(Domains.VERIFY_RECIPIENTS);
            return DomainRouting.of(relays, forwardUnknown, verifyRecipients);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Stored split-routing settings of domain " + domain.asString() + " are invalid: " + e.getMessage(), e);
        }
    }

    private static UserRouting toUserRouting(Username username, Row row) {
        if (!row.getBoolean(Users.THIRD_PARTY)) {
            return UserRouting.internal();
        }
        List<String> forwardedAddresses = row.getList(Users.FORWARDED_ADDRESSES, String.class);
        // The driver reads a null collection as an empty one, and an empty choice is not allowed:
        // both mean that every address of the user is forwarded.
        if (forwardedAddresses.isEmpty()) {
            return UserRouting.thirdPartyForAllAddresses();
        }
        return UserRouting.thirdPartyOfStored(forwardedAddresses);
    }
}
