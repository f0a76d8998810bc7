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

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.splitdomain.settings.SettingsScaleBenchmark;
import org.splitdomain.settings.SharedSplitRoutingStore;

/** {@link SettingsScaleBenchmark} on a real Cassandra; settled once the import is applied to the settings tables. */
class CassandraSettingsScaleBenchmark implements SettingsScaleBenchmark {
    @RegisterExtension
    static CassandraExtension cassandra = new CassandraExtension();

    @BeforeAll
    static void createTables() {
        CassandraSplitRoutingTables.createMissingTables(cassandra.session());
    }

    @Override
    public String storeName() {
        return "cassandra";
    }

    @Override
    public SharedSplitRoutingStore openNode() {
        return new CassandraSplitRoutingStore(cassandra.newSession());
    }

    @Override
    public void awaitSettled(SharedSplitRoutingStore store) {
        Awaitility.await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(200))
            .until(() -> ((CassandraSplitRoutingStore) store).pendingWrites().isEmpty());
    }
}
