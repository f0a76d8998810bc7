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

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitdomain.settings.SplitRoutingStoreContract.BOB;
import static org.splitdomain.settings.SplitRoutingStoreContract.EXAMPLE_COM;
import static org.splitdomain.settings.SplitRoutingStoreContract.TO_TWO_RELAYS;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitdomain.settings.UserRouting;

class DerbySharedDatabaseTest extends SharedDatabaseNodes {
    @Override
    TestDatabase createDatabase() {
        return DerbyDatabase.inMemory();
    }

    @Test
    void closingTheStoreShouldLeaveTheEmbeddedDatabaseRunningForJames() throws SQLException {
        try (Connection james = connect(); Statement statement = james.createStatement()) {
            JpaSplitRoutingStore node = openNode();
            node.storeDomainRouting(EXAMPLE_COM, TO_TWO_RELAYS);

            node.close();

            try (ResultSet relays = statement.executeQuery("SELECT COUNT(*) FROM SPLIT_DOMAIN_RELAY")) {
                assertThat(relays.next()).isTrue();
                assertThat(relays.getInt(1)).isEqualTo(2);
            }
        }
    }

    // James's default database: embedded Derby in var/store/derby, booted again from disk at every start.
    @Test
    void settingsShouldSurviveARestartOfAnEmbeddedDatabaseOnDisk(@TempDir Path directory) {
        DerbyDatabase onDisk = DerbyDatabase.inDirectory(directory.resolve("derby"));
        long generationBeforeRestart;
        try (JpaSplitRoutingStore node = JpaSplitRoutingStore.open(onDisk.configuration())) {
            node.storeDomainRouting(EXAMPLE_COM, TO_TWO_RELAYS);
            node.storeUserRouting(BOB, UserRouting.internal());
            generationBeforeRestart = node.generation();
        }
        onDisk.shutdown();

        try (JpaSplitRoutingStore restarted = JpaSplitRoutingStore.open(onDisk.configuration())) {
            assertThat(restarted.domainRouting(EXAMPLE_COM)).contains(TO_TWO_RELAYS);
            assertThat(restarted.userRouting(BOB)).contains(UserRouting.internal());
            assertThat(restarted.generation()).isEqualTo(generationBeforeRestart);
        } finally {
            onDisk.shutdown();
        }
    }
}
