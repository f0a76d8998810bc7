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
package org.splitdomain.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.splitdomain.settings.jpa.PostgresqlCluster;

import com.google.common.collect.ImmutableMap;

/**
 * The launcher's JPA server on PostgreSQL ({@code --flavour jpa --database jdbc:postgresql://...}): James's users and
 * domains and our settings all in that database, there again after a restart.
 */
class LauncherPostgresqlTest {
    @RegisterExtension
    static PostgresqlCluster postgresql = new PostgresqlCluster();

    private PostgresqlCluster.Database database;
    private JamesProcess james;

    @AfterEach
    void tearDown() throws Exception {
        if (james != null) {
            james.close();
        }
        if (database != null) {
            database.drop();
        }
    }

    @Test
    void usersDomainsAndSettingsShouldLiveInPostgresqlAcrossARestart() throws Exception {
        database = postgresql.createDatabase();
        james = JamesProcess.prepare("launcher-postgresql", Flavour.JPA, "127.0.0.1", ImmutableMap.of())
            .startLauncher("--flavour", "jpa", "--database", database.urlWithCredentials());
        james.webAdmin().put("/domains/example.com").then().statusCode(204);
        james.webAdmin().body("{\"password\":\"secret\"}").put("/users/bob@example.com").then().statusCode(204);
        james.webAdmin().body("{\"relays\":[\"127.0.0.2:2525\"]}").put("/domains/example.com/split-routing").then().statusCode(204);
        james.webAdmin().body("{\"thirdParty\":true}").put("/users/bob@example.com/split-routing").then().statusCode(204);
        String settings = james.webAdmin().get("/split-routing/export").then().statusCode(200).extract().asString();
        assertThat(database.connectionsOf("PostgreSQL JDBC Driver")).isPositive();

        james.close();
        james.startLauncher("--flavour", "jpa", "--database", database.urlWithCredentials());

        james.webAdmin().head("/users/bob@example.com").then().statusCode(200);
        assertThat(james.webAdmin().get("/split-routing/export").then().statusCode(200).extract().asString()).isEqualTo(settings);
    }
}
