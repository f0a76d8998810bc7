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
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.StreamSupport;

import javax.mail.internet.AddressException;

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
import org.splitdomain.settings.cassandra.CassandraSplitRoutingTables.Version;
import org.splitdomain.settings.cassandra.StagedWrites.Changes;
import org.splitdomain.settings.cassandra.StagedWrites.StagedWrite;
import org.splitdomain.settings.cassandra.StagedWrites.Written;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.data.TupleValue;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;

/**
 * Split-routing settings in the Cassandra keyspace of the distributed James, shared by all its nodes. The tables
 * ({@link CassandraSplitRoutingTables}) must exist before this store is built, because its statements are prepared
 * against them.
 *
 * <p>Every write, a single setting as an import of a million, is staged, then committed by one lightweight transaction
 * on the version row ({@link StagedWrites}): all of it is visible or none, on every node, and the counter that nodes
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
    private final PreparedStatement selectVersion;
    private final PreparedStatement createVersion;
    private final PreparedStatement startCounter;
    private final PreparedStatement commit;
    private final PreparedStatement forget;
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
        this.selectVersion = session.prepare(selectFrom(Version.TABLE_NAME)
            .columns(Version.COUNTER, Version.COMMITTED_MICROS, Version.PENDING_WRITES)
            .whereColumn(Version.ID).isEqualTo(bindMarker(Version.ID))
            .build());
        this.createVersion = session.prepare(insertInto(Version.TABLE_NAME)
            .value(Version.ID, bindMarker(Version.ID))
            .value(Version.COUNTER, bindMarker(Version.COUNTER))
            .value(Version.COMMITTED_MICROS, bindMarker(Version.COMMITTED_MICROS))
            .ifNotExists()
            .build());
        // A row written by an earlier version has no counter yet.
        this.startCounter = session.prepare("UPDATE " + Version.TABLE_NAME + " SET " + Version.COUNTER + " = 0, "
            + Version.COMMITTED_MICROS + " = 0 WHERE " + Version.ID + " = :id IF " + Version.COUNTER + " = null");
        this.commit = session.prepare("UPDATE " + Version.TABLE_NAME + " SET " + Version.COUNTER + " = :next, "
            + Version.COMMITTED_MICROS + " = :micros, " + Version.PENDING_WRITES + " = " + Version.PENDING_WRITES + " + :pending"
            + " WHERE " + Version.ID + " = :id IF " + Version.COUNTER + " = :expected");
        // Also through Paxos: a plain write's timestamp could lose against the commit that added the entry.
        this.forget = session.prepare("UPDATE " + Version.TABLE_NAME + " SET "
            + Version.PENDING_WRITES + " = " + Version.PENDING_WRITES + " - :applied WHERE " + Version.ID + " = :id IF EXISTS");
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
        return Optional.ofNullable(staged.overlay(tables, pending, changes -> only(changes.domains, domain)).get(domain));
    }

    @Override
    public Map<Domain, DomainRouting> listDomainRoutings() {
        // Pending writes first: one applied and forgotten meanwhile is then in the tables read after.
        List<StagedWrite> pending = pendingWrites();
        return staged.overlay(domains(execute(selectAllDomains.bind())), pending, changes -> changes.domains);
    }

    private static Map<Domain, Written<DomainRouting>> domains(ResultSet rows) {
        return StreamSupport.stream(rows.spliterator(), false)
            .map(row -> {
                Domain domain = Domain.of(row.getString(Domains.DOMAIN));
                return Map.entry(domain, new Written<>(toDomainRouting(domain, row), row.getLong(WRITTEN)));
            })
            .collect(ImmutableMap.toImmutableMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @Override
    public Optional<UserRouting> userRouting(Username username) {
        List<StagedWrite> pending = pendingWrites();
        Map<Username, Written<UserRouting>> tables = users(execute(selectUser.bind().setString(Users.USERNAME, username.asString())));
        return Optional.ofNullable(staged.overlay(tables, pending, changes -> only(changes.users, username)).get(username));
    }

    @Override
    public Map<Username, UserRouting> listUserRoutings() {
        List<StagedWrite> pending = pendingWrites();
        return staged.overlay(users(execute(selectAllUsers.bind())), pending, changes -> changes.users);
    }

    private static Map<Username, Written<UserRouting>> users(ResultSet rows) {
        return StreamSupport.stream(rows.spliterator(), false)
            .map(row -> {
                Username username = Username.of(row.getString(Users.USERNAME));
                return Map.entry(username, new Written<>(toUserRouting(username, row), row.getLong(WRITTEN)));
            })
            .collect(ImmutableMap.toImmutableMap(Map.Entry::getKey, Map.Entry::getValue));
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
    public void storeAll(Map<Domain, DomainRouting> domains, Map<Username, UserRouting> users) {
        write(Changes.storing(domains, users), domains.size() + " domains and " + users.size() + " users");
    }

    private void write(Changes changes, String what) {
        lastWriteMove = Optional.empty();
        StagedWrite write = staged.stage(changes);
        for (int attempt = 1; attempt <= COMMIT_ATTEMPTS; attempt++) {
            Row version = versionRow();
            long counter = version.getLong(Version.COUNTER);
            // Later than every commit before it, whatever this node's clock says.
            long micros = Math.max(TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()), version.getLong(Version.COMMITTED_MICROS) + 1);
            StagedWrite committed = write.committedAt(micros);
            boolean applied = session.execute(commit.bind()
                    .setLong("next", counter + 1)
                    .setLong("micros", micros)
                    .setMap("pending", committed.asPending(), UUID.class, TupleValue.class)
                    .setString("id", Version.SETTINGS_ROW)
                    .setLong("expected", counter)
                    .setConsistencyLevel(consistency))
                .wasApplied();
            if (applied) {
                lastWriteMove = Optional.of(new GenerationMove(counter, counter + 1));
                LOGGER.debug("Committed split-routing settings of {} as generation {}", what, counter + 1);
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
        for (StagedWrite write : pendingWrites()) {
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
            session.execute(forget.bind()
                .setSet("applied", ImmutableSet.of(write.id()), UUID.class)
                .setString("id", Version.SETTINGS_ROW)
                .setConsistencyLevel(consistency));
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

    // The row is created on first use (also after a truncation), and given a counter when an earlier version wrote it.
    private Row versionRow() {
        Row row = execute(selectVersion.bind().setString(Version.ID, Version.SETTINGS_ROW)).one();
        if (row != null && !row.isNull(Version.COUNTER)) {
            return row;
        }
        if (row == null) {
            execute(createVersion.bind().setString(Version.ID, Version.SETTINGS_ROW).setLong(Version.COUNTER, 0L).setLong(Version.COMMITTED_MICROS, 0L));
        } else {
            execute(startCounter.bind().setString("id", Version.SETTINGS_ROW));
        }
        return execute(selectVersion.bind().setString(Version.ID, Version.SETTINGS_ROW)).one();
    }

    /** The committed writes not applied yet, oldest first. */
    List<StagedWrite> pendingWrites() {
        return StagedWrites.pending(versionRow());
    }

    /**
     * The counter that every commit moves by one. Read once a second by every node: committed writes that their writer
     * left pending are applied from here.
     */
    @Override
    public long generation() {
        Row version = versionRow();
        long staleBefore = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()) - TimeUnit.NANOSECONDS.toMicros(pendingWriteTakeover.toNanos());
        List<StagedWrite> pending = StagedWrites.pending(version);
        if (!pending.isEmpty() && pending.get(0).committedMicros() < staleBefore) {
            LOGGER.info("The split-routing write {} is still pending {} s after its commit: applying it here", pending.get(0).id(),
                pendingWriteTakeover.toSeconds());
            applyPendingInBackground();
        }
        return version.getLong(Version.COUNTER);
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
        return UserRouting.thirdParty(forwardedAddresses.stream()
            .map(address -> toMailAddress(username, address))
            .collect(ImmutableList.toImmutableList()));
    }

    private static MailAddress toMailAddress(Username username, String address) {
        try {
            return new MailAddress(address);
        } catch (AddressException e) {
            throw new IllegalStateException("Stored forwarded address '" + address + "' of user " + username.asString() + " is invalid", e);
        }
    }
}
