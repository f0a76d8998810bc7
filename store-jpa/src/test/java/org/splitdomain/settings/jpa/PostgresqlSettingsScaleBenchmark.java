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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.splitdomain.settings.SettingsScaleBenchmark;
import org.splitdomain.settings.SharedSplitRoutingStore;

/** {@link SettingsScaleBenchmark} on PostgreSQL, the database of a production JPA James. */
class PostgresqlSettingsScaleBenchmark implements SettingsScaleBenchmark {
    @RegisterExtension
    static PostgresqlCluster postgresql = new PostgresqlCluster();

    private PostgresqlCluster.Database database;

    @BeforeEach
    void setUp() {
        database = postgresql.createDatabase();
    }

    @AfterEach
    void tearDown() {
        database.drop();
    }

    @Override
    public String storeName() {
        return "jpa-postgresql";
    }

    @Override
    public SharedSplitRoutingStore openNode() {
        return JpaSplitRoutingStore.open(database.configuration());
    }
}
