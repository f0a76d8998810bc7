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

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import com.google.common.io.Closer;

/** James nodes on a database of the test's own: stopped, and the database dropped, after each test. */
abstract class SharedDatabaseNodes implements SharedDatabaseContract {
    private final Closer nodes = Closer.create();
    private TestDatabase database;

    abstract TestDatabase createDatabase();

    @BeforeEach
    void startWithAnEmptyDatabase() {
        database = createDatabase();
    }

    @AfterEach
    void stopNodesAndDropTheDatabase() throws IOException {
        nodes.close();
        database.drop();
    }

    @Override
    public JpaSplitRoutingStore openNode() {
        JpaSplitRoutingStore node = JpaSplitRoutingStore.open(database.configuration());
        nodes.register(node::close);
        return node;
    }

    @Override
    public Connection connect() throws SQLException {
        return database.connect();
    }
}
