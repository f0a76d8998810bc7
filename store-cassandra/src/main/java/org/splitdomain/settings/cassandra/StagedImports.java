package org.splitdomain.settings.cassandra;

import static com.datastax.oss.driver.api.querybuilder.QueryBuilder.bindMarker;
import static com.datastax.oss.driver.api.querybuilder.QueryBuilder.insertInto;
import static com.datastax.oss.driver.api.querybuilder.QueryBuilder.selectFrom;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import javax.mail.internet.AddressException;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.UserRouting;
import org.splitdomain.settings.cassandra.CassandraSplitRoutingTables.ImportChunks;
import org.splitdomain.settings.cassandra.CassandraSplitRoutingTables.Version;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.data.TupleValue;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.Iterables;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Imports written the Cassandra way: a logged batch cannot hold a million users, so the entries are first staged
 * in chunks that nobody reads, then committed by one single-row write of the version row, which names the import
 * and moves the version once. From then on every reader sees the import whole, laid over the settings tables, until
 * it has been applied to them (written again with the commit time as their Cassandra timestamp, so that a change
 * made after the commit still wins) and the version row forgets it.
 */
final class StagedImports {
    /** Entries per chunk: a few hundred kilobytes, well under Cassandra's mutation and frame limits. */
    static final int CHUNK_SIZE = 5_000;
    /** Chunks outlive the import they belong to: long enough for any node to apply it, short enough to clean up. */
    static final Duration CHUNK_LIFETIME = Duration.ofDays(1);
    private static final int WRITES_IN_FLIGHT = 64;

    /** A committed import that the settings tables may not hold yet. */
    static final class PendingImport {
        private final UUID id;
        private final int chunks;
        private final long committedMicros;

        PendingImport(UUID id, int chunks, long committedMicros) {
            this.id = id;
            this.chunks = chunks;
            this.committedMicros = committedMicros;
        }

        UUID id() {
            return id;
        }

        /** This staged import, as committed at {@code micros}. */
        PendingImport committedAt(long micros) {
            return new PendingImport(id, chunks, micros);
        }

        long committedMicros() {
            return committedMicros;
        }
    }

    /** What one import says, as read back from its chunks. */
    static final class Entries {
        final Map<Domain, DomainRouting> domains = new HashMap<>();
        final Map<Username, UserRouting> users = new HashMap<>();
    }

    private final CqlSession session;
    private final ConsistencyLevel consistency;
    private final PreparedStatement insertChunk;
    private final PreparedStatement selectChunk;

    StagedImports(CqlSession session, ConsistencyLevel consistency) {
        this.session = session;
        this.consistency = consistency;
        this.insertChunk = session.prepare(insertInto(ImportChunks.TABLE_NAME)
            .value(ImportChunks.IMPORT_ID, bindMarker(ImportChunks.IMPORT_ID))
            .value(ImportChunks.CHUNK, bindMarker(ImportChunks.CHUNK))
            .value(ImportChunks.THIRD_PARTY, bindMarker(ImportChunks.THIRD_PARTY))
            .value(ImportChunks.INTERNAL, bindMarker(ImportChunks.INTERNAL))
            .value(ImportChunks.DOMAINS, bindMarker(ImportChunks.DOMAINS))
            .usingTtl((int) CHUNK_LIFETIME.toSeconds())
            .build());
        this.selectChunk = session.prepare(selectFrom(ImportChunks.TABLE_NAME)
            .columns(ImportChunks.THIRD_PARTY, ImportChunks.INTERNAL, ImportChunks.DOMAINS)
            .whereColumn(ImportChunks.IMPORT_ID).isEqualTo(bindMarker(ImportChunks.IMPORT_ID))
            .whereColumn(ImportChunks.CHUNK).isEqualTo(bindMarker(ImportChunks.CHUNK))
            .build());
    }

    /** Writes the chunks of an import (the domains in the first one) and answers its id and chunk count. */
    PendingImport stage(Map<Domain, DomainRouting> domains, Map<Username, UserRouting> users) {
        UUID id = Uuids.timeBased();
        List<List<Map.Entry<Username, UserRouting>>> userChunks = users.isEmpty()
            ? ImmutableList.of(ImmutableList.of())
            : ImmutableList.copyOf(Iterables.partition(users.entrySet(), CHUNK_SIZE));
        List<BoundStatement> writes = new ArrayList<>();
        for (int chunk = 0; chunk < userChunks.size(); chunk++) {
            writes.add(chunkWrite(id, chunk, chunk == 0 ? domains : ImmutableMap.of(), userChunks.get(chunk)));
        }
        executeAll(writes);
        return new PendingImport(id, writes.size(), 0);
    }

    private BoundStatement chunkWrite(UUID id, int chunk, Map<Domain, DomainRouting> domains, List<Map.Entry<Username, UserRouting>> users) {
        Map<String, List<String>> thirdParty = new HashMap<>();
        Set<String> internal = new HashSet<>();
        users.forEach(entry -> {
            String username = entry.getKey().asString();
            if (entry.getValue().isThirdParty()) {
                thirdParty.put(username, CassandraSplitRoutingStore.storedForwardedAddresses(entry.getValue()));
            } else {
                internal.add(username);
            }
        });
        Map<String, TupleValue> storedDomains = new HashMap<>();
        domains.forEach((domain, routing) -> storedDomains.put(domain.asString(), ImportChunks.DOMAIN_ROUTING.newValue(
            CassandraSplitRoutingStore.storedRelays(routing), routing.isForwardUnknown(), routing.isVerifyRecipients())));
        return insertChunk.bind()
            .setUuid(ImportChunks.IMPORT_ID, id)
            .setInt(ImportChunks.CHUNK, chunk)
            .setMap(ImportChunks.THIRD_PARTY, thirdParty, String.class, (Class<List<String>>) (Class<?>) List.class)
            .setSet(ImportChunks.INTERNAL, internal, String.class)
            .setMap(ImportChunks.DOMAINS, storedDomains, String.class, TupleValue.class);
    }

    /** The version row's value naming a committed import. */
    static Map<UUID, TupleValue> pendingEntry(PendingImport committed) {
        return ImmutableMap.of(committed.id, Version.PENDING_IMPORT.newValue(committed.chunks, committed.committedMicros));
    }

    /** The imports a version row names, oldest commit first. */
    static List<PendingImport> pending(Row versionRow) {
        if (versionRow == null || versionRow.isNull(Version.PENDING_IMPORTS)) {
            return ImmutableList.of();
        }
        return versionRow.getMap(Version.PENDING_IMPORTS, UUID.class, TupleValue.class).entrySet().stream()
            .map(entry -> new PendingImport(entry.getKey(), entry.getValue().getInt(0), entry.getValue().getLong(1)))
            .sorted(Comparator.comparingLong(PendingImport::committedMicros))
            .collect(ImmutableList.toImmutableList());
    }

    /** Reads back every entry of a committed import. */
    Entries read(PendingImport pending) {
        Entries entries = new Entries();
        for (int chunk = 0; chunk < pending.chunks; chunk++) {
            Row row = session.execute(selectChunk.bind()
                    .setUuid(ImportChunks.IMPORT_ID, pending.id)
                    .setInt(ImportChunks.CHUNK, chunk)
                    .setConsistencyLevel(consistency))
                .one();
            if (row == null) {
                throw new IllegalStateException("Chunk " + chunk + " of the committed split-routing import " + pending.id + " is missing");
            }
            row.getMap(ImportChunks.THIRD_PARTY, String.class, (Class<List<String>>) (Class<?>) List.class)
                .forEach((username, addresses) -> entries.users.put(Username.of(username), thirdParty(username, addresses)));
            row.getSet(ImportChunks.INTERNAL, String.class)
                .forEach(username -> entries.users.put(Username.of(username), UserRouting.internal()));
            row.getMap(ImportChunks.DOMAINS, String.class, TupleValue.class)
                .forEach((domain, routing) -> entries.domains.put(Domain.of(domain), domainRouting(domain, routing)));
        }
        return entries;
    }

    private static UserRouting thirdParty(String username, List<String> addresses) {
        if (addresses.isEmpty()) {
            return UserRouting.thirdPartyForAllAddresses();
        }
        return UserRouting.thirdParty(addresses.stream()
            .map(address -> {
                try {
                    return new MailAddress(address);
                } catch (AddressException e) {
                    throw new IllegalStateException("Staged forwarded address '" + address + "' of user " + username + " is invalid", e);
                }
            })
            .collect(ImmutableList.toImmutableList()));
    }

    private static DomainRouting domainRouting(String domain, TupleValue routing) {
        try {
            return DomainRouting.of(routing.getList(0, String.class).stream().map(RelayHost::parseStored).collect(ImmutableList.toImmutableList()),
                routing.getBoolean(1), routing.getBoolean(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Staged split-routing settings of domain " + domain + " are invalid: " + e.getMessage(), e);
        }
    }

    /**
     * Lays committed imports over settings read from the tables, each entry with the Cassandra time it was written
     * at: an import wins over what was written before its commit, as it will once applied.
     */
    <K, V> Map<K, V> overlay(Map<K, Written<V>> base, List<PendingImport> pending, Function<Entries, Map<K, V>> part) {
        Map<K, Written<V>> merged = new HashMap<>(base);
        for (PendingImport anImport : pending) {
            part.apply(read(anImport)).forEach((key, value) -> {
                Written<V> current = merged.get(key);
                if (current == null || current.micros < anImport.committedMicros) {
                    merged.put(key, new Written<>(value, anImport.committedMicros));
                }
            });
        }
        return merged.entrySet().stream()
            .collect(ImmutableMap.toImmutableMap(Map.Entry::getKey, entry -> entry.getValue().value));
    }

    /** A setting and the Cassandra time of its write. */
    static final class Written<V> {
        final V value;
        final long micros;

        Written(V value, long micros) {
            this.value = value;
            this.micros = micros;
        }
    }

    /** Runs every statement, a bounded number at a time, and fails when one fails. */
    void executeAll(List<BoundStatement> statements) {
        Flux.fromIterable(statements)
            .flatMap(statement -> Mono.fromCompletionStage(() -> session.executeAsync(statement.setConsistencyLevel(consistency))), WRITES_IN_FLIGHT)
            .then()
            .block();
    }
}
