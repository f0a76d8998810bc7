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
package org.splitdomain.relay.cassandra;

import static com.datastax.oss.driver.api.querybuilder.QueryBuilder.bindMarker;
import static com.datastax.oss.driver.api.querybuilder.QueryBuilder.insertInto;

import java.time.Duration;

import org.splitdomain.relay.WakeClaims;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/**
 * Claims shared by every node of the distributed flavour: a lightweight transaction inserts the stay's row if no node
 * did, with a TTL of the hold. Paxos makes one node the winner, whatever their clocks.
 */
public class CassandraWakeClaims implements WakeClaims {
    public static final String TABLE_NAME = "split_domain_relay_wake_claims";
    static final String STAY_ID = "stay_id";
    private static final String TTL = "ttl";

    /** Created at start-up by each node, as our other tables: James creates the tables of its own modules only. */
    public static void createTable(CqlSession session) {
        session.execute("CREATE TABLE IF NOT EXISTS " + TABLE_NAME + " (" + STAY_ID + " text PRIMARY KEY)"
            + " WITH comment = 'Which node moves a mail of the split-domain relay waiting room back to the queue'");
    }

    private final CqlSession session;
    private final PreparedStatement claim;

    public CassandraWakeClaims(CqlSession session) {
        this.session = session;
        this.claim = session.prepare(insertInto(TABLE_NAME)
            .value(STAY_ID, bindMarker(STAY_ID))
            .ifNotExists()
            .usingTtl(bindMarker(TTL))
            .build());
    }

    @Override
    public boolean claim(String waitId, Duration hold) {
        return session.execute(claim.bind()
                .setString(STAY_ID, waitId)
                .setInt(TTL, (int) Math.max(1, hold.toSeconds())))
            .wasApplied();
    }
}
