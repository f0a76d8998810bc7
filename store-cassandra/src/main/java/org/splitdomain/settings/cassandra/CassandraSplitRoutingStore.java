package org.splitdomain.settings.cassandra;

import static com.datastax.oss.driver.api.querybuilder.QueryBuilder.bindMarker;
import static com.datastax.oss.driver.api.querybuilder.QueryBuilder.deleteFrom;
import static com.datastax.oss.driver.api.querybuilder.QueryBuilder.insertInto;
import static com.datastax.oss.driver.api.querybuilder.QueryBuilder.selectFrom;
import static com.datastax.oss.driver.api.querybuilder.QueryBuilder.update;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.splitdomain.settings.cassandra.CassandraSplitRoutingTables.Version;
import org.splitdomain.settings.cassandra.CassandraSplitRoutingTables.Users;
import org.splitdomain.settings.cassandra.StagedImports.PendingImport;
import org.splitdomain.settings.cassandra.StagedImports.Written;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.data.TupleValue;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;

/**
 * Split-routing settings in the Cassandra keyspace of the distributed James, shared by all its
 * nodes. The tables ({@link CassandraSplitRoutingTables}) must exist before this store is built,
 * because its statements are prepared against them.
 */
public class CassandraSplitRoutingStore implements SharedSplitRoutingStore, AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(CassandraSplitRoutingStore.class);
    /** A committed import still pending after this long is applied by whichever node notices it: its writer stopped. */
    static final Duration PENDING_IMPORT_TAKEOVER = Duration.ofSeconds(60);
    private static final String WRITTEN = "written";

    private final CqlSession session;
    private final ConsistencyLevel consistency;
    private final PreparedStatement selectDomain;
    private final PreparedStatement selectAllDomains;
    private final PreparedStatement insertDomain;
    private final PreparedStatement deleteDomain;
    private final PreparedStatement selectUser;
    private final PreparedStatement selectAllUsers;
    private final PreparedStatement insertUser;
    private final PreparedStatement deleteUser;
    private final PreparedStatement selectVersion;
    private final PreparedStatement updateVersion;
    private final PreparedStatement commitImport;
    private final PreparedStatement forgetImport;
    private final StagedImports imports;
    private final ExecutorService applier;
    private final Set<UUID> applying = ConcurrentHashMap.newKeySet();
    private final AtomicLong lastCommitMicros = new AtomicLong();
    private final Duration pendingImportTakeover;

    /** At {@code QUORUM}, James's own default for its regular reads and writes. */
    public CassandraSplitRoutingStore(CqlSession session) {
        this(session, DefaultConsistencyLevel.QUORUM);
    }

    /**
     * Every read and write at {@code consistency}: with a level that makes reads and writes overlap (QUORUM, as
     * James's {@code cassandra.consistency_level.regular}), a node that sees the new generation reads the new settings.
     */
    public CassandraSplitRoutingStore(CqlSession session, ConsistencyLevel consistency) {
        this(session, consistency, PENDING_IMPORT_TAKEOVER);
    }

    CassandraSplitRoutingStore(CqlSession session, ConsistencyLevel consistency, Duration pendingImportTakeover) {
        this.session = session;
        this.pendingImportTakeover = pendingImportTakeover;
        this.consistency = consistency;
        this.selectDomain = session.prepare(selectFrom(Domains.TABLE_NAME)
            .columns(Domains.RELAYS, Domains.FORWARD_UNKNOWN, Domains.VERIFY_RECIPIENTS)
            .writeTime(Domains.FORWARD_UNKNOWN).as(WRITTEN)
            .whereColumn(Domains.DOMAIN).isEqualTo(bindMarker(Domains.DOMAIN))
            .build());
        this.selectAllDomains = session.prepare(selectFrom(Domains.TABLE_NAME)
            .columns(Domains.DOMAIN, Domains.RELAYS, Domains.FORWARD_UNKNOWN, Domains.VERIFY_RECIPIENTS)
            .writeTime(Domains.FORWARD_UNKNOWN).as(WRITTEN)
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
        this.selectUser = session.prepare(selectFrom(Users.TABLE_NAME)
            .columns(Users.THIRD_PARTY, Users.FORWARDED_ADDRESSES)
            .writeTime(Users.THIRD_PARTY).as(WRITTEN)
            .whereColumn(Users.USERNAME).isEqualTo(bindMarker(Users.USERNAME))
            .build());
        this.selectAllUsers = session.prepare(selectFrom(Users.TABLE_NAME)
            .columns(Users.USERNAME, Users.THIRD_PARTY, Users.FORWARDED_ADDRESSES)
            .writeTime(Users.THIRD_PARTY).as(WRITTEN)
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
            .columns(Version.VERSION, Version.PENDING_IMPORTS)
            .whereColumn(Version.ID).isEqualTo(bindMarker(Version.ID))
            .build());
        this.updateVersion = session.prepare(update(Version.TABLE_NAME)
            .setColumn(Version.VERSION, bindMarker(Version.VERSION))
            .whereColumn(Version.ID).isEqualTo(bindMarker(Version.ID))
            .build());
        this.commitImport = session.prepare("UPDATE " + Version.TABLE_NAME + " SET " + Version.VERSION + " = :version, "
            + Version.PENDING_IMPORTS + " = " + Version.PENDING_IMPORTS + " + :pending WHERE " + Version.ID + " = :id");
        this.forgetImport = session.prepare("UPDATE " + Version.TABLE_NAME + " SET "
            + Version.PENDING_IMPORTS + " = " + Version.PENDING_IMPORTS + " - :applied WHERE " + Version.ID + " = :id");
        this.imports = new StagedImports(session, consistency);
        this.applier = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "split-routing-import-applier");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public Optional<DomainRouting> domainRouting(Domain domain) {
        List<PendingImport> pending = pendingImports();
        Map<Domain, Written<DomainRouting>> base = Optional.ofNullable(execute(selectDomain.bind()
                .setString(Domains.DOMAIN, domain.asString()))
                .one())
            .map(row -> ImmutableMap.of(domain, new Written<>(toDomainRouting(domain, row), row.getLong(WRITTEN))))
            .orElse(ImmutableMap.of());
        return Optional.ofNullable(imports.overlay(base, pending, entries -> onlyKey(entries.domains, domain)).get(domain));
    }

    @Override
    public void storeDomainRouting(Domain domain, DomainRouting routing) {
        written(insertDomain.bind()
            .setString(Domains.DOMAIN, domain.asString())
            .setList(Domains.RELAYS, storedRelays(routing), String.class)
            .setBoolean(Domains.FORWARD_UNKNOWN, routing.isForwardUnknown())
            .setBoolean(Domains.VERIFY_RECIPIENTS, routing.isVerifyRecipients()), "domain " + domain.asString());
    }

    static List<String> storedRelays(DomainRouting routing) {
        return routing.getRelays().stream().map(RelayHost::asStored).collect(ImmutableList.toImmutableList());
    }

    @Override
    public void deleteDomainRouting(Domain domain) {
        written(deleteDomain.bind()
            .setString(Domains.DOMAIN, domain.asString()), "domain " + domain.asString());
    }

    @Override
    public Map<Domain, DomainRouting> listDomainRoutings() {
        List<PendingImport> pending = pendingImports();
        Map<Domain, Written<DomainRouting>> base = StreamSupport.stream(execute(selectAllDomains.bind()).spliterator(), false)
            .map(row -> {
                Domain domain = Domain.of(row.getString(Domains.DOMAIN));
                return Map.entry(domain, new Written<>(toDomainRouting(domain, row), row.getLong(WRITTEN)));
            })
            .collect(ImmutableMap.toImmutableMap(Map.Entry::getKey, Map.Entry::getValue));
        return imports.overlay(base, pending, entries -> entries.domains);
    }

    @Override
    public Optional<UserRouting> userRouting(Username username) {
        List<PendingImport> pending = pendingImports();
        Map<Username, Written<UserRouting>> base = Optional.ofNullable(execute(selectUser.bind()
                .setString(Users.USERNAME, username.asString()))
                .one())
            .map(row -> ImmutableMap.of(username, new Written<>(toUserRouting(username, row), row.getLong(WRITTEN))))
            .orElse(ImmutableMap.of());
        return Optional.ofNullable(imports.overlay(base, pending, entries -> onlyKey(entries.users, username)).get(username));
    }

    private static <K, V> Map<K, V> onlyKey(Map<K, V> entries, K key) {
        return Optional.ofNullable(entries.get(key))
            .map(value -> ImmutableMap.of(key, value))
            .orElse(ImmutableMap.of());
    }

    @Override
    public void storeUserRouting(Username username, UserRouting routing) {
        written(insertUser.bind()
            .setString(Users.USERNAME, username.asString())
            .setBoolean(Users.THIRD_PARTY, routing.isThirdParty())
            .setList(Users.FORWARDED_ADDRESSES, storedForwardedAddresses(routing), String.class), "user " + username.asString());
    }

    // "Every address" is an empty list, not null: a null cell is a tombstone, and the reload of every node
    // once a second would read one per such user.
    static List<String> storedForwardedAddresses(UserRouting routing) {
        return routing.getForwardedAddresses()
            .map(addresses -> addresses.stream().map(MailAddress::asString).collect(ImmutableList.toImmutableList()))
            .orElse(ImmutableList.of());
    }

    @Override
    public void deleteUserRouting(Username username) {
        written(deleteUser.bind()
            .setString(Users.USERNAME, username.asString()), "user " + username.asString());
    }

    @Override
    public Map<Username, UserRouting> listUserRoutings() {
        // Pending imports first: one applied and forgotten meanwhile is then in the tables read after.
        List<PendingImport> pending = pendingImports();
        Map<Username, Written<UserRouting>> base = StreamSupport.stream(execute(selectAllUsers.bind()).spliterator(), false)
            .map(row -> {
                Username username = Username.of(row.getString(Users.USERNAME));
                return Map.entry(username, new Written<>(toUserRouting(username, row), row.getLong(WRITTEN)));
            })
            .collect(ImmutableMap.toImmutableMap(Map.Entry::getKey, Map.Entry::getValue));
        return imports.overlay(base, pending, entries -> entries.users);
    }

    /**
     * An import: its entries are staged in chunks, then one single-row write of the version row commits it (moving
     * the version once): before that write no reader sees any of it, after it every reader sees all of it. The
     * settings tables get the entries afterwards, in the background; a node that notices an import still pending
     * after {@link #PENDING_IMPORT_TAKEOVER} applies it, should its writer have stopped meanwhile.
     */
    @Override
    public void storeAll(Map<Domain, DomainRouting> domains, Map<Username, UserRouting> users) {
        PendingImport committed = imports.stage(domains, users).committedAt(commitMicros());
        execute(commitImport.bind()
            .setUuid("version", Uuids.timeBased())
            .setMap("pending", StagedImports.pendingEntry(committed), UUID.class, TupleValue.class)
            .setString("id", Version.SETTINGS_ROW)
            .setQueryTimestamp(committed.committedMicros()));
        LOGGER.info("Committed split-routing import {} of {} domains and {} users", committed.id(), domains.size(), users.size());
        applyInBackground(committed);
    }

    // Cassandra timestamps of this store's commits only grow, also within one microsecond.
    private long commitMicros() {
        long now = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
        return lastCommitMicros.updateAndGet(last -> Math.max(now, last + 1));
    }

    private void applyInBackground(PendingImport committed) {
        if (!applying.add(committed.id())) {
            return;
        }
        try {
            applier.execute(() -> {
                try {
                    apply(committed);
                } catch (RuntimeException e) {
                    LOGGER.warn("Could not apply the split-routing import {} to the settings tables yet; readers still see it whole, "
                        + "and a node applies it again {} s after its commit", committed.id(), pendingImportTakeover.toSeconds(), e);
                } finally {
                    applying.remove(committed.id());
                }
            });
        } catch (RejectedExecutionException e) {
            applying.remove(committed.id());
            LOGGER.warn("The split-routing store is closed: import {} is applied by another node {} s after its commit",
                committed.id(), pendingImportTakeover.toSeconds());
        }
    }

    /** Writes a committed import into the settings tables at its commit time, then forgets it: idempotent. */
    void apply(PendingImport pending) {
        long start = System.nanoTime();
        StagedImports.Entries entries = imports.read(pending);
        List<BoundStatement> writes = new ArrayList<>(entries.domains.size() + entries.users.size());
        entries.domains.forEach((domain, routing) -> writes.add(insertDomain.bind()
            .setString(Domains.DOMAIN, domain.asString())
            .setList(Domains.RELAYS, storedRelays(routing), String.class)
            .setBoolean(Domains.FORWARD_UNKNOWN, routing.isForwardUnknown())
            .setBoolean(Domains.VERIFY_RECIPIENTS, routing.isVerifyRecipients())
            .setQueryTimestamp(pending.committedMicros())));
        entries.users.forEach((username, routing) -> writes.add(insertUser.bind()
            .setString(Users.USERNAME, username.asString())
            .setBoolean(Users.THIRD_PARTY, routing.isThirdParty())
            .setList(Users.FORWARDED_ADDRESSES, storedForwardedAddresses(routing), String.class)
            .setQueryTimestamp(pending.committedMicros())));
        imports.executeAll(writes);
        execute(forgetImport.bind()
            .setSet("applied", ImmutableSet.of(pending.id()), UUID.class)
            .setString("id", Version.SETTINGS_ROW));
        LOGGER.info("Applied split-routing import {} ({} domains, {} users) to the settings tables in {} ms", pending.id(),
            entries.domains.size(), entries.users.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    private ResultSet execute(BoundStatement statement) {
        return session.execute(statement.setConsistencyLevel(consistency));
    }

    private Optional<Row> versionRow() {
        return Optional.ofNullable(execute(selectVersion.bind()
                .setString(Version.ID, Version.SETTINGS_ROW))
            .one());
    }

    /** The committed imports not applied yet, oldest first. */
    List<PendingImport> pendingImports() {
        return versionRow().map(StagedImports::pending).orElse(ImmutableList.of());
    }

    /**
     * Changes at every write: the version row's time-based UUID folded into a long, or 0 before the very first write.
     * Read once a second by every node: an import that its writer left pending is applied from here.
     */
    @Override
    public long generation() {
        Optional<Row> row = versionRow();
        long staleBefore = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()) - pendingImportTakeover.toNanos() / 1000;
        row.map(StagedImports::pending).orElse(ImmutableList.of()).stream()
            .filter(pending -> pending.committedMicros() < staleBefore)
            .forEach(this::takeOver);
        return row.map(found -> found.getUuid(Version.VERSION))
            .map(version -> version.getMostSignificantBits() ^ version.getLeastSignificantBits())
            .orElse(0L);
    }

    private void takeOver(PendingImport pending) {
        if (!applying.contains(pending.id())) {
            LOGGER.info("The split-routing import {} is still pending {} s after its commit: applying it here", pending.id(),
                pendingImportTakeover.toSeconds());
            applyInBackground(pending);
        }
    }

    // The settings and the new version in one logged batch: both are written or neither, so a write that fails
    // leaves no settings that the other nodes would never reload. A batch is atomic, not isolated: a node may read
    // the new version before the settings; CachedSplitRoutingStore reloads once more a period later for that.
    private void written(BoundStatement write, String what) {
        session.execute(BatchStatement.newInstance(DefaultBatchType.LOGGED,
                write,
                updateVersion.bind()
                    .setString(Version.ID, Version.SETTINGS_ROW)
                    .setUuid(Version.VERSION, Uuids.timeBased()))
            .setConsistencyLevel(consistency));
        LOGGER.debug("Wrote split-routing settings of {}", what);
    }

    /** Stops applying imports; one left half-applied is applied again by a node after {@link #PENDING_IMPORT_TAKEOVER}. */
    @Override
    public void close() {
        applier.shutdownNow();
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
