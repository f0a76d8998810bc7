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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.apache.commons.configuration2.MapConfiguration;
import org.junit.jupiter.api.Test;

class SplitRoutingDatabaseConfigurationTest {
    private static final String DERBY_URL = "jdbc:derby:../var/store/derby;create=true";

    private static Map<String, Object> jamesSample() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("database.driverClassName", "org.apache.derby.jdbc.EmbeddedDriver");
        properties.put("database.url", DERBY_URL);
        properties.put("database.username", "app");
        properties.put("database.password", "app");
        properties.put("vendorAdapter.database", "DERBY");
        return properties;
    }

    private static SplitRoutingDatabaseConfiguration from(Map<String, Object> properties) {
        return SplitRoutingDatabaseConfiguration.from(new MapConfiguration(properties));
    }

    @Test
    void fromShouldReadTheConnectionOfJamesSampleConfiguration() {
        assertThat(from(jamesSample()).openJpaProperties())
            .containsEntry("openjpa.ConnectionDriverName", "org.apache.derby.jdbc.EmbeddedDriver")
            .containsEntry("openjpa.ConnectionURL", DERBY_URL)
            .containsEntry("openjpa.ConnectionUserName", "app")
            .containsEntry("openjpa.ConnectionPassword", "app")
            .containsEntry("openjpa.ConnectionProperties", "TestOnBorrow=false")
            .containsEntry("openjpa.Multithreaded", "true")
            .doesNotContainKey("vendorAdapter.database");
    }

    @Test
    void fromShouldFailWhenTheDriverIsMissing() {
        Map<String, Object> properties = jamesSample();
        properties.remove("database.driverClassName");

        assertThatThrownBy(() -> from(properties))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("'database.driverClassName' is a mandatory property of james-database.properties");
    }

    @Test
    void fromShouldFailWhenTheUrlIsBlank() {
        Map<String, Object> properties = jamesSample();
        properties.put("database.url", " ");

        assertThatThrownBy(() -> from(properties))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("'database.url' is a mandatory property of james-database.properties");
    }

    @Test
    void fromShouldConnectWithoutCredentialsWhenBothAreEmpty() {
        Map<String, Object> properties = jamesSample();
        properties.remove("database.username");
        properties.put("database.password", "");

        assertThat(from(properties).openJpaProperties())
            .doesNotContainKeys("openjpa.ConnectionUserName", "openjpa.ConnectionPassword");
    }

    @Test
    void fromShouldFailWhenOnlyTheUsernameIsSet() {
        Map<String, Object> properties = jamesSample();
        properties.remove("database.password");

        assertThatThrownBy(() -> from(properties))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("'database.username' and 'database.password' of james-database.properties must be both set or both empty");
    }

    @Test
    void fromShouldFailWhenOnlyThePasswordIsSet() {
        Map<String, Object> properties = jamesSample();
        properties.remove("database.username");

        assertThatThrownBy(() -> from(properties))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("'database.username' and 'database.password' of james-database.properties must be both set or both empty");
    }

    @Test
    void fromShouldPassPoolSettingsAsJamesDoes() {
        Map<String, Object> properties = jamesSample();
        properties.put("datasource.testOnBorrow", "true");
        properties.put("datasource.validationQueryTimeoutSec", "2");
        properties.put("datasource.validationQuery", "VALUES 1");
        properties.put("datasource.maxTotal", "8");
        properties.put("datasource.minIdle", "2");

        assertThat(from(properties).openJpaProperties().get("openjpa.ConnectionProperties").split(","))
            .containsExactlyInAnyOrder("TestOnBorrow=true", "ValidationTimeout=2000", "ValidationSQL='VALUES 1'", "MaxTotal=8", "minIdle=2");
    }

    @Test
    void fromShouldAcceptAnUnlimitedPool() {
        Map<String, Object> properties = jamesSample();
        properties.put("datasource.maxTotal", "-1");

        assertThat(from(properties).openJpaProperties().get("openjpa.ConnectionProperties")).contains("MaxTotal=-1");
    }

    @Test
    void fromShouldFailWhenMaxTotalIsZero() {
        Map<String, Object> properties = jamesSample();
        properties.put("datasource.maxTotal", "0");

        assertThatThrownBy(() -> from(properties))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("'datasource.maxTotal' of james-database.properties must be -1 (no limit) or greater than 0, got 0");
    }

    @Test
    void fromShouldFailWhenTheValidationTimeoutIsNotPositive() {
        Map<String, Object> properties = jamesSample();
        properties.put("datasource.validationQueryTimeoutSec", "0");

        assertThatThrownBy(() -> from(properties))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("'datasource.validationQueryTimeoutSec' of james-database.properties must be greater than 0, got 0");
    }

    @Test
    void fromShouldFailWhenAPoolSizeIsNotANumber() {
        Map<String, Object> properties = jamesSample();
        properties.put("datasource.maxTotal", "ten");

        assertThatThrownBy(() -> from(properties))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("'datasource.maxTotal' of james-database.properties must be an integer, got 'ten'");
    }

    @Test
    void fromShouldPassJamesOpenJpaSettingsOn() {
        Map<String, Object> properties = jamesSample();
        properties.put("openjpa.Multithreaded", "false");
        properties.put("openjpa.jdbc.DBDictionary", "postgres");

        assertThat(from(properties).openJpaProperties())
            .containsEntry("openjpa.Multithreaded", "false")
            .containsEntry("openjpa.jdbc.DBDictionary", "postgres");
    }

    @Test
    void fromShouldNotLetOpenJpaSettingsReplaceTheConnection() {
        Map<String, Object> properties = jamesSample();
        properties.put("openjpa.ConnectionURL", "jdbc:derby:memory:elsewhere");

        assertThat(from(properties).openJpaProperties()).containsEntry("openjpa.ConnectionURL", DERBY_URL);
    }

    @Test
    void databaseForLogsShouldLeaveOutDerbyAttributes() {
        assertThat(from(jamesSample()).databaseForLogs()).isEqualTo("jdbc:derby:../var/store/derby");
    }

    @Test
    void databaseForLogsShouldLeaveOutUrlParametersWhichMayHoldAPassword() {
        Map<String, Object> properties = jamesSample();
        properties.put("database.url", "jdbc:postgresql://db.example.com:5432/james?user=james&password=secret");

        assertThat(from(properties).databaseForLogs()).isEqualTo("jdbc:postgresql://db.example.com:5432/james");
        assertThat(from(properties).toString()).doesNotContain("secret");
    }
}
