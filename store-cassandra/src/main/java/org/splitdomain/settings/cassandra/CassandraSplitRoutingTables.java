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

import static com.datastax.oss.driver.api.core.type.DataTypes.BIGINT;
import static com.datastax.oss.driver.api.core.type.DataTypes.BOOLEAN;
import static com.datastax.oss.driver.api.core.type.DataTypes.DATE;
import static com.datastax.oss.driver.api.core.type.DataTypes.INT;
import static com.datastax.oss.driver.api.core.type.DataTypes.TEXT;
import static com.datastax.oss.driver.api.core.type.DataTypes.TIMESTAMP;
import static com.datastax.oss.driver.api.core.type.DataTypes.TIMEUUID;
import static com.datastax.oss.driver.api.core.type.DataTypes.frozenListOf;
import static com.datastax.oss.driver.api.core.type.DataTypes.frozenMapOf;
import static com.datastax.oss.driver.api.core.type.DataTypes.frozenSetOf;
import static com.datastax.oss.driver.api.core.type.DataTypes.tupleOf;

import org.apache.james.backends.cassandra.components.CassandraModule;
import org.apache.james.backends.cassandra.components.CassandraTable.InitializationStatus;
import org.apache.james.backends.cassandra.init.CassandraTableManager;
import org.apache.james.backends.cassandra.init.CassandraTypesProvider;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.TupleType;
import com.datastax.oss.driver.api.core.metadata.schema.ClusteringOrder;
import com.datastax.oss.driver.api.querybuilder.SchemaBuilder;

/**
 * The tables of the split-routing settings. Every statement is {@code CREATE TABLE IF NOT EXISTS}:
 * James creates only the tables of its own modules, so each node creates ours at start-up, and
 * two nodes starting together must not fail on each other's table.
 */
public interface CassandraSplitRoutingTables {
    interface Domains {
        String TABLE_NAME = "split_routing_domains";
        /** {@code Domain.asString()}: lower case, so that a domain is one row whatever its case. */
        CqlIdentifier DOMAIN = CqlIdentifier.fromCql("domain");
        /** Each relay in the order they are tried, as {@code RelayHost.asStored()} writes it (host:port and its session policy). */
        CqlIdentifier RELAYS = CqlIdentifier.fromCql("relays");
        CqlIdentifier FORWARD_UNKNOWN = CqlIdentifier.fromCql("forward_unknown");
        /** Null in rows written before recipient verification existed: they get its default, on when unknown addresses are forwarded. */
        CqlIdentifier VERIFY_RECIPIENTS = CqlIdentifier.fromCql("verify_recipients");
    }

    interface Users {
        String TABLE_NAME = "split_routing_users";
        /** {@code Username.asString()}, which James lower-cases. */
        CqlIdentifier USERNAME = CqlIdentifier.fromCql("username");
        CqlIdentifier THIRD_PARTY = CqlIdentifier.fromCql("third_party");
        /** The chosen addresses, or an empty list when every address of the user is forwarded (rows of earlier versions: null). */
        CqlIdentifier FORWARDED_ADDRESSES = CqlIdentifier.fromCql("forwarded_addresses");
    }

    /**
     * Commits writes. A write is staged first ({@link StagedWrites}), then committed by a lightweight transaction on the
     * one partition of this table: its static {@code latest} counter moves by one and a row for the new counter names
     * the staged write. Paxos orders the commits of every node, so the counter and the commit times only grow, whatever
     * the nodes' clocks. Nodes poll the static counters once a second; the writes above {@code applied} are pending.
     * Nothing is ever deleted here: statics are overwritten, commit rows expire below {@code applied}, where no read goes.
     * (Earlier versions moved {@code split_routing_version}, or a counter of {@code split_routing_generation}; neither is
     * read nor written any more.)
     */
    interface Commits {
        String TABLE_NAME = "split_routing_commits";
        CqlIdentifier ID = CqlIdentifier.fromCql("id");
        String SETTINGS_PARTITION = "settings";
        /** The number of a commit: 1 for the first one. */
        CqlIdentifier COUNTER = CqlIdentifier.fromCql("counter");
        /** The generation: the counter of the last commit. */
        CqlIdentifier LATEST = CqlIdentifier.fromCql("latest");
        /** The Cassandra time (microseconds) of the last commit: the next one is later. */
        CqlIdentifier LATEST_MICROS = CqlIdentifier.fromCql("latest_micros");
        /** Every write up to this counter is in the settings tables. */
        CqlIdentifier APPLIED = CqlIdentifier.fromCql("applied");
        CqlIdentifier WRITE_ID = CqlIdentifier.fromCql("write_id");
        CqlIdentifier CHUNKS = CqlIdentifier.fromCql("chunks");
        CqlIdentifier COMMITTED_MICROS = CqlIdentifier.fromCql("committed_micros");
    }

    /**
     * The entries of a write, staged in chunks before it is committed: nobody reads them until a commit row names
     * the write, and a write that fails before its commit leaves only chunks that expire.
     */
    interface StagedWriteChunks {
        String TABLE_NAME = "split_routing_staged_writes";
        CqlIdentifier WRITE_ID = CqlIdentifier.fromCql("write_id");
        CqlIdentifier CHUNK = CqlIdentifier.fromCql("chunk");
        /** Domains: domain to (relays as stored, forward unknown, verify recipients). */
        CqlIdentifier DOMAINS = CqlIdentifier.fromCql("domains");
        CqlIdentifier DELETED_DOMAINS = CqlIdentifier.fromCql("deleted_domains");
        /** Third-party users: username to the forwarded addresses, an empty list when every address is forwarded. */
        CqlIdentifier THIRD_PARTY = CqlIdentifier.fromCql("third_party");
        /** Users whose settings become internal. */
        CqlIdentifier INTERNAL = CqlIdentifier.fromCql("internal");
        CqlIdentifier DELETED_USERS = CqlIdentifier.fromCql("deleted_users");
        TupleType DOMAIN_ROUTING = tupleOf(frozenListOf(TEXT), BOOLEAN, BOOLEAN);
    }

    /**
     * The audit history: one partition per day (UTC), newest first within it, each row expiring when the retention
     * is over, so that nothing is ever deleted by hand and reads walk back day by day.
     */
    interface History {
        String TABLE_NAME = "split_routing_history";
        CqlIdentifier DAY = CqlIdentifier.fromCql("day");
        CqlIdentifier AT = CqlIdentifier.fromCql("at");
        CqlIdentifier ID = CqlIdentifier.fromCql("id");
        CqlIdentifier ACTOR = CqlIdentifier.fromCql("actor");
        CqlIdentifier SOURCE = CqlIdentifier.fromCql("source");
        CqlIdentifier KIND = CqlIdentifier.fromCql("kind");
        CqlIdentifier SUBJECT = CqlIdentifier.fromCql("subject");
        CqlIdentifier BEFORE = CqlIdentifier.fromCql("before");
        CqlIdentifier AFTER = CqlIdentifier.fromCql("after");
    }

    // Settings are replaced whole by every write: frozen collections are rewritten as one cell,
    // where a plain list would leave a tombstone and a cell per relay at each write.
    CassandraModule MODULE = CassandraModule.builder()
        .table(Domains.TABLE_NAME)
        .comment("Split-routing settings of each domain: the relays of the other system and whether unknown recipients go there.")
        .statement(statement -> types -> statement.ifNotExists()
            .withPartitionKey(Domains.DOMAIN, TEXT)
            .withColumn(Domains.RELAYS, frozenListOf(TEXT))
            .withColumn(Domains.FORWARD_UNKNOWN, BOOLEAN)
            .withColumn(Domains.VERIFY_RECIPIENTS, BOOLEAN))
        .table(Users.TABLE_NAME)
        .comment("Split-routing settings of each user: whether it is a third-party user and which of its addresses are forwarded.")
        .statement(statement -> types -> statement.ifNotExists()
            .withPartitionKey(Users.USERNAME, TEXT)
            .withColumn(Users.THIRD_PARTY, BOOLEAN)
            .withColumn(Users.FORWARDED_ADDRESSES, frozenListOf(TEXT)))
        .table(Commits.TABLE_NAME)
        .comment("Commits split-routing writes: lightweight transactions move the counters that James nodes poll to know when to reload their copy.")
        .statement(statement -> types -> statement.ifNotExists()
            .withPartitionKey(Commits.ID, TEXT)
            .withClusteringColumn(Commits.COUNTER, BIGINT)
            .withStaticColumn(Commits.LATEST, BIGINT)
            .withStaticColumn(Commits.LATEST_MICROS, BIGINT)
            .withStaticColumn(Commits.APPLIED, BIGINT)
            .withColumn(Commits.WRITE_ID, TIMEUUID)
            .withColumn(Commits.CHUNKS, INT)
            .withColumn(Commits.COMMITTED_MICROS, BIGINT))
        .table(StagedWriteChunks.TABLE_NAME)
        .comment("Entries of split-routing writes, staged before a commit row names them; they expire after a week.")
        .statement(statement -> types -> statement.ifNotExists()
            .withPartitionKey(StagedWriteChunks.WRITE_ID, TIMEUUID)
            .withPartitionKey(StagedWriteChunks.CHUNK, INT)
            .withColumn(StagedWriteChunks.DOMAINS, frozenMapOf(TEXT, StagedWriteChunks.DOMAIN_ROUTING))
            .withColumn(StagedWriteChunks.DELETED_DOMAINS, frozenSetOf(TEXT))
            .withColumn(StagedWriteChunks.THIRD_PARTY, frozenMapOf(TEXT, frozenListOf(TEXT)))
            .withColumn(StagedWriteChunks.INTERNAL, frozenSetOf(TEXT))
            .withColumn(StagedWriteChunks.DELETED_USERS, frozenSetOf(TEXT)))
        .table(History.TABLE_NAME)
        .comment("Audit history of split-routing settings: each change with its time, author, source, and settings before and after.")
        .options(options -> options
            .withClusteringOrder(History.AT, ClusteringOrder.DESC)
            .withClusteringOrder(History.ID, ClusteringOrder.DESC))
        .statement(statement -> types -> statement.ifNotExists()
            .withPartitionKey(History.DAY, DATE)
            .withClusteringColumn(History.AT, TIMESTAMP)
            .withClusteringColumn(History.ID, TIMEUUID)
            .withColumn(History.ACTOR, TEXT)
            .withColumn(History.SOURCE, TEXT)
            .withColumn(History.KIND, TEXT)
            .withColumn(History.SUBJECT, TEXT)
            .withColumn(History.BEFORE, TEXT)
            .withColumn(History.AFTER, TEXT))
        .build();

    /**
     * Creates the tables that are missing from the keyspace of {@code session}, the way James
     * creates its own; {@link InitializationStatus#ALREADY_DONE} when there were none to create.
     */
    static InitializationStatus createMissingTables(CqlSession session) {
        InitializationStatus status = new CassandraTableManager(MODULE, session).initializeTables(new CassandraTypesProvider(session));
        addMissingColumns(session);
        return status;
    }

    /**
     * Columns added after a table was first created: {@code CREATE TABLE IF NOT EXISTS} leaves an existing
     * table as it is, so a keyspace written by an earlier version gets them here.
     */
    private static void addMissingColumns(CqlSession session) {
        addMissingColumn(session, Domains.TABLE_NAME, Domains.VERIFY_RECIPIENTS, BOOLEAN);
    }

    private static void addMissingColumn(CqlSession session, String tableName, CqlIdentifier column, DataType type) {
        session.getKeyspace()
            .flatMap(keyspace -> session.getMetadata().getKeyspace(keyspace))
            .flatMap(keyspace -> keyspace.getTable(tableName))
            .filter(table -> table.getColumn(column).isEmpty())
            .ifPresent(table -> session.execute(SchemaBuilder.alterTable(tableName)
                .addColumn(column, type)
                .build()));
    }
}
