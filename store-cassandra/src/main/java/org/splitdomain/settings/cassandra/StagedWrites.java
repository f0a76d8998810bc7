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
import static com.datastax.oss.driver.api.querybuilder.QueryBuilder.insertInto;
import static com.datastax.oss.driver.api.querybuilder.QueryBuilder.selectFrom;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.UserRouting;
import org.splitdomain.settings.cassandra.CassandraSplitRoutingTables.StagedWriteChunks;
import org.splitdomain.settings.cassandra.CassandraSplitRoutingTables.Commits;

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
 * Writes staged the Cassandra way: a logged batch is atomic but not isolated, and cannot hold a million users. So the
 * entries of a write are first staged in chunks that nobody reads; the commit table then commits the write in one
 * lightweight transaction ({@link CassandraSplitRoutingTables.Commits}); from then on every reader sees it whole, laid over the settings tables, until it has been
 * applied to them (written again with its commit time as their Cassandra timestamp) and counted as applied.
 */
final class StagedWrites {
    /** Entries per chunk: a few hundred kilobytes, well under Cassandra's mutation and frame limits. */
    static final int CHUNK_SIZE = 5_000;
    /** Chunks outlive the write they belong to: long enough for any node to apply it, short enough to clean up. */
    static final Duration CHUNK_LIFETIME = Duration.ofDays(7);
    private static final int WRITES_IN_FLIGHT = 64;
    @SuppressWarnings("unchecked")
    private static final Class<List<String>> LIST_OF_STRINGS = (Class<List<String>>) (Class<?>) List.class;

    /** What one write changes: a setting stored, or removed when empty. */
    static final class Changes {
        final Map<Domain, Optional<DomainRouting>> domains;
        final Map<Username, Optional<UserRouting>> users;

        Changes(Map<Domain, Optional<DomainRouting>> domains, Map<Username, Optional<UserRouting>> users) {
            this.domains = domains;
            this.users = users;
        }

        int size() {
            return domains.size() + users.size();
        }
    }

    /** A staged write, and once committed, its commit number and time. */
    static final class StagedWrite {
        private final UUID id;
        private final int chunks;
        private final long counter;
        private final long committedMicros;

        StagedWrite(UUID id, int chunks, long counter, long committedMicros) {
            this.id = id;
            this.chunks = chunks;
            this.counter = counter;
            this.committedMicros = committedMicros;
        }

        /** A write as its commit row names it. */
        static StagedWrite committed(Row commit) {
            return new StagedWrite(commit.getUuid(Commits.WRITE_ID), commit.getInt(Commits.CHUNKS), commit.getLong(Commits.COUNTER),
                commit.getLong(Commits.COMMITTED_MICROS));
        }

        UUID id() {
            return id;
        }

        int chunks() {
            return chunks;
        }

        long counter() {
            return counter;
        }

        long committedMicros() {
            return committedMicros;
        }
    }

    private final CqlSession session;
    private final ConsistencyLevel consistency;
    private final PreparedStatement insertChunk;
    private final PreparedStatement selectChunk;

    StagedWrites(CqlSession session, ConsistencyLevel consistency) {
        this.session = session;
        this.consistency = consistency;
        this.insertChunk = session.prepare(insertInto(StagedWriteChunks.TABLE_NAME)
            .value(StagedWriteChunks.WRITE_ID, bindMarker(StagedWriteChunks.WRITE_ID))
            .value(StagedWriteChunks.CHUNK, bindMarker(StagedWriteChunks.CHUNK))
            .value(StagedWriteChunks.DOMAINS, bindMarker(StagedWriteChunks.DOMAINS))
            .value(StagedWriteChunks.DELETED_DOMAINS, bindMarker(StagedWriteChunks.DELETED_DOMAINS))
            .value(StagedWriteChunks.THIRD_PARTY, bindMarker(StagedWriteChunks.THIRD_PARTY))
            .value(StagedWriteChunks.INTERNAL, bindMarker(StagedWriteChunks.INTERNAL))
            .value(StagedWriteChunks.DELETED_USERS, bindMarker(StagedWriteChunks.DELETED_USERS))
            .usingTtl((int) CHUNK_LIFETIME.toSeconds())
            .build());
        this.selectChunk = session.prepare(selectFrom(StagedWriteChunks.TABLE_NAME)
            .columns(StagedWriteChunks.DOMAINS, StagedWriteChunks.DELETED_DOMAINS, StagedWriteChunks.THIRD_PARTY,
                StagedWriteChunks.INTERNAL, StagedWriteChunks.DELETED_USERS)
            .whereColumn(StagedWriteChunks.WRITE_ID).isEqualTo(bindMarker(StagedWriteChunks.WRITE_ID))
            .whereColumn(StagedWriteChunks.CHUNK).isEqualTo(bindMarker(StagedWriteChunks.CHUNK))
            .build());
    }

    /** Writes the chunks of a write (its domains in the first one): not committed yet. */
    StagedWrite stage(Changes changes) {
        UUID id = Uuids.timeBased();
        List<List<Map.Entry<Username, Optional<UserRouting>>>> userChunks = changes.users.isEmpty()
            ? ImmutableList.of(ImmutableList.of())
            : ImmutableList.copyOf(Iterables.partition(changes.users.entrySet(), CHUNK_SIZE));
        List<BoundStatement> writes = new ArrayList<>();
        for (int chunk = 0; chunk < userChunks.size(); chunk++) {
            writes.add(chunkWrite(id, chunk, chunk == 0 ? changes.domains : ImmutableMap.of(), userChunks.get(chunk)));
        }
        executeAll(writes);
        return new StagedWrite(id, writes.size(), 0, 0);
    }

    private BoundStatement chunkWrite(UUID id, int chunk, Map<Domain, Optional<DomainRouting>> domains,
                                      List<Map.Entry<Username, Optional<UserRouting>>> users) {
        Map<String, TupleValue> storedDomains = new HashMap<>();
        Set<String> deletedDomains = new HashSet<>();
        domains.forEach((domain, change) -> change.ifPresentOrElse(
            routing -> storedDomains.put(domain.asString(), StagedWriteChunks.DOMAIN_ROUTING.newValue(
                CassandraSplitRoutingStore.storedRelays(routing), routing.isForwardUnknown(), routing.isVerifyRecipients())),
            () -> deletedDomains.add(domain.asString())));
        Map<String, List<String>> thirdParty = new HashMap<>();
        Set<String> internal = new HashSet<>();
        Set<String> deletedUsers = new HashSet<>();
        users.forEach(entry -> {
            String username = entry.getKey().asString();
            entry.getValue().ifPresentOrElse(routing -> {
                if (routing.isThirdParty()) {
                    thirdParty.put(username, CassandraSplitRoutingStore.storedForwardedAddresses(routing));
                } else {
                    internal.add(username);
                }
            }, () -> deletedUsers.add(username));
        });
        return insertChunk.bind()
            .setUuid(StagedWriteChunks.WRITE_ID, id)
            .setInt(StagedWriteChunks.CHUNK, chunk)
            .setMap(StagedWriteChunks.DOMAINS, storedDomains, String.class, TupleValue.class)
            .setSet(StagedWriteChunks.DELETED_DOMAINS, deletedDomains, String.class)
            .setMap(StagedWriteChunks.THIRD_PARTY, thirdParty, String.class, LIST_OF_STRINGS)
            .setSet(StagedWriteChunks.INTERNAL, internal, String.class)
            .setSet(StagedWriteChunks.DELETED_USERS, deletedUsers, String.class);
    }

    /** Reads back every change of a committed write. */
    Changes read(StagedWrite write) {
        return readChunks(write, write.chunks);
    }

    /** The domains a committed write changes: all in its first chunk, so a reload does not read its users twice. */
    Map<Domain, Optional<DomainRouting>> readDomains(StagedWrite write) {
        return readChunks(write, 1).domains;
    }

    private Changes readChunks(StagedWrite write, int chunks) {
        Map<Domain, Optional<DomainRouting>> domains = new HashMap<>();
        Map<Username, Optional<UserRouting>> users = new HashMap<>();
        for (int chunk = 0; chunk < chunks; chunk++) {
            Row row = session.execute(selectChunk.bind()
                    .setUuid(StagedWriteChunks.WRITE_ID, write.id)
                    .setInt(StagedWriteChunks.CHUNK, chunk)
                    .setConsistencyLevel(consistency))
                .one();
            if (row == null) {
                throw new IllegalStateException("Chunk " + chunk + " of the committed split-routing write " + write.id + " is missing");
            }
            row.getMap(StagedWriteChunks.DOMAINS, String.class, TupleValue.class)
                .forEach((domain, routing) -> domains.put(Domain.of(domain), Optional.of(domainRouting(domain, routing))));
            row.getSet(StagedWriteChunks.DELETED_DOMAINS, String.class)
                .forEach(domain -> domains.put(Domain.of(domain), Optional.empty()));
            row.getMap(StagedWriteChunks.THIRD_PARTY, String.class, LIST_OF_STRINGS)
                .forEach((username, addresses) -> users.put(Username.of(username), Optional.of(thirdParty(addresses))));
            row.getSet(StagedWriteChunks.INTERNAL, String.class)
                .forEach(username -> users.put(Username.of(username), Optional.of(UserRouting.internal())));
            row.getSet(StagedWriteChunks.DELETED_USERS, String.class)
                .forEach(username -> users.put(Username.of(username), Optional.empty()));
        }
        return new Changes(domains, users);
    }

    private static UserRouting thirdParty(List<String> addresses) {
        return addresses.isEmpty() ? UserRouting.thirdPartyForAllAddresses() : UserRouting.thirdPartyOfStored(addresses);
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
     * Lays committed writes, oldest first, over settings read from the tables, each with the Cassandra time it was
     * written at: a write wins over what the tables got before its commit, as it will once applied.
     */
    <K, V> Map<K, V> overlay(Map<K, Written<V>> tables, List<StagedWrite> pending, Function<StagedWrite, Map<K, Optional<V>>> part) {
        Map<K, Written<V>> merged = new HashMap<>(tables);
        for (StagedWrite write : pending) {
            part.apply(write).forEach((key, change) -> {
                Written<V> current = merged.get(key);
                if (current == null || current.micros < write.committedMicros) {
                    merged.put(key, new Written<>(change.orElse(null), write.committedMicros));
                }
            });
        }
        ImmutableMap.Builder<K, V> settings = ImmutableMap.builderWithExpectedSize(merged.size());
        merged.forEach((key, written) -> {
            if (written.value != null) {
                settings.put(key, written.value);
            }
        });
        return settings.build();
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
