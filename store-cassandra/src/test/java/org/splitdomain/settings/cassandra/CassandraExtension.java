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

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.james.backends.cassandra.components.CassandraModule;
import org.apache.james.backends.cassandra.init.CassandraTableManager;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.datastax.oss.driver.api.core.CqlSession;
import com.google.common.base.Preconditions;

/**
 * A keyspace of its own on the {@link CassandraServer#shared() shared Cassandra} of the test JVM.
 *
 * <p>Registered in a static field ({@code @RegisterExtension static CassandraExtension cassandra = new CassandraExtension();})
 * the keyspace lives for the test class; in an instance field, each test gets a new, empty one.
 * Keyspaces are not dropped: dropping costs a schema change per class, and the whole Cassandra
 * is thrown away at the end of the run.</p>
 */
public class CassandraExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    private final List<CqlSession> sessions = new ArrayList<>();
    private boolean perClass;
    private String keyspace;

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        createKeyspace();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            createKeyspace();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            closeSessions();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeSessions();
    }

    public CassandraServer server() {
        return CassandraServer.shared();
    }

    public String keyspace() {
        Preconditions.checkState(keyspace != null, "no keyspace yet: register CassandraExtension with @RegisterExtension");
        return keyspace;
    }

    /** The session of the keyspace, opened on first use and closed by the extension. */
    public CqlSession session() {
        if (sessions.isEmpty()) {
            return newSession();
        }
        return sessions.get(0);
    }

    /** Another session on the same keyspace, as a second James node would have; closed by the extension. */
    public CqlSession newSession() {
        CqlSession session = server().session(keyspace());
        sessions.add(session);
        return session;
    }

    /** Empties the tables of {@code module}, as James's own Cassandra tests do between cases. */
    public void clearTables(CassandraModule module) {
        new CassandraTableManager(module, session()).clearTables(table -> true);
    }

    private void createKeyspace() {
        keyspace = "split_domain_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (CqlSession admin = server().adminSession()) {
            admin.execute("CREATE KEYSPACE " + keyspace
                + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1} AND durable_writes = false");
        }
    }

    private void closeSessions() {
        sessions.forEach(CqlSession::close);
        sessions.clear();
    }
}
