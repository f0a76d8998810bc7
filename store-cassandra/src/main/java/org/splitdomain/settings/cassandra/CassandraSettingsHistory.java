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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.splitdomain.settings.cassandra.CassandraSplitRoutingTables.History;
import org.splitdomain.settings.history.SettingsChange;
import org.splitdomain.settings.history.SettingsHistory;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import com.datastax.oss.driver.api.querybuilder.relation.Relation;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The history in Cassandra, shared by every node: one partition per day, each row written with a TTL that ends
 * at its retention, read back newest first day by day, each day paged by the driver.
 */
public class CassandraSettingsHistory implements SettingsHistory {
    private static final int CONCURRENT_WRITES = 32;
    private static final String TTL = "ttl";

    private final CqlSession session;
    private final ConsistencyLevel consistency;
    private final Clock clock;
    private final PreparedStatement insert;
    private final PreparedStatement selectDay;

    public CassandraSettingsHistory(CqlSession session, ConsistencyLevel consistency) {
        this(session, consistency, Clock.systemUTC());
    }

    CassandraSettingsHistory(CqlSession session, ConsistencyLevel consistency, Clock clock) {
        this.session = session;
        this.consistency = consistency;
        this.clock = clock;
        this.insert = session.prepare(insertInto(History.TABLE_NAME)
            .value(History.DAY, bindMarker(History.DAY))
            .value(History.AT, bindMarker(History.AT))
            .value(History.ID, bindMarker(History.ID))
            .value(History.ACTOR, bindMarker(History.ACTOR))
            .value(History.SOURCE, bindMarker(History.SOURCE))
            .value(History.KIND, bindMarker(History.KIND))
            .value(History.SUBJECT, bindMarker(History.SUBJECT))
            .value(History.BEFORE, bindMarker(History.BEFORE))
            .value(History.AFTER, bindMarker(History.AFTER))
            .usingTtl(bindMarker(TTL))
            .build());
        this.selectDay = session.prepare(selectFrom(History.TABLE_NAME).all()
            .where(Relation.column(History.DAY).isEqualTo(bindMarker(History.DAY)),
                Relation.column(History.AT).isGreaterThanOrEqualTo(bindMarker(History.AT)))
            .build());
    }

    @Override
    public void record(List<SettingsChange> changes) {
        Instant now = clock.instant();
        Flux.fromIterable(changes)
            .flatMap(change -> {
                long ttl = Duration.between(now, change.getAt().plus(RETENTION)).toSeconds();
                if (ttl <= 0) {
                    return Mono.empty();
                }
                return Mono.fromCompletionStage(() -> session.executeAsync(insert.bind()
                    .setLocalDate(History.DAY, day(change.getAt()))
                    .setInstant(History.AT, change.getAt())
                    .setUuid(History.ID, Uuids.timeBased())
                    .setString(History.ACTOR, change.getActor().orElse(null))
                    .setString(History.SOURCE, change.getSource())
                    .setString(History.KIND, change.getKind().asString())
                    .setString(History.SUBJECT, change.getSubject())
                    .setString(History.BEFORE, change.getBefore().orElse(null))
                    .setString(History.AFTER, change.getAfter().orElse(null))
                    .setInt(TTL, (int) ttl)
                    .setConsistencyLevel(consistency)));
            }, CONCURRENT_WRITES)
            .then()
            .block();
    }

    @Override
    public Stream<SettingsChange> newestFirst(Optional<Instant> since) {
        Instant oldest = clock.instant().minus(RETENTION);
        Instant from = since.filter(time -> time.isAfter(oldest)).orElse(oldest);
        LocalDate today = day(clock.instant());
        LocalDate first = day(from);
        return Stream.iterate(today, day -> !day.isBefore(first), day -> day.minusDays(1))
            .flatMap(day -> StreamSupport.stream(session.execute(selectDay.bind()
                    .setLocalDate(History.DAY, day)
                    .setInstant(History.AT, from)
                    .setConsistencyLevel(consistency)).spliterator(), false)
                .map(CassandraSettingsHistory::change));
    }

    private static LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    private static SettingsChange change(Row row) {
        return new SettingsChange(row.getInstant(History.AT), Optional.ofNullable(row.getString(History.ACTOR)), row.getString(History.SOURCE),
            SettingsChange.Kind.parse(row.getString(History.KIND)), row.getString(History.SUBJECT), Optional.ofNullable(row.getString(History.BEFORE)),
            Optional.ofNullable(row.getString(History.AFTER)));
    }
}
