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
package org.splitdomain.benchmarks;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import org.apache.commons.configuration2.PropertiesConfiguration;
import org.apache.commons.configuration2.builder.fluent.Configurations;
import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.UserRouting;
import org.splitdomain.settings.jpa.JpaSplitRoutingStore;
import org.splitdomain.settings.jpa.SplitRoutingDatabaseConfiguration;

import com.google.common.collect.ImmutableMap;

/**
 * Writes the split-routing settings of a large split domain into the database of a running JPA James, as another node
 * of it would ({@code storeAll}, one transaction): {@code users} third-party users {@code user<n>@<domain>}, every address
 * of each forwarded, and the domain relaying to {@code relay}. The James reloads its copy at its next refresh. The users
 * themselves are James's: {@code benchmarks/run.sh} copies them into James's users table beforehand.
 *
 * <pre>java ... SettingsAtScale &lt;work dir&gt;/conf/james-database.properties &lt;users&gt; &lt;domain&gt; &lt;relay host:port&gt;</pre>
 */
public final class SettingsAtScale {
    private SettingsAtScale() {
    }

    public static void main(String[] args) throws Exception {
        Path databaseProperties = Paths.get(args[0]);
        int users = Integer.parseInt(args[1]);
        Domain domain = Domain.of(args[2]);
        RelayHost relay = RelayHost.parse(args[3]);
        PropertiesConfiguration configuration = new Configurations().properties(databaseProperties.toFile());
        ImmutableMap.Builder<Username, UserRouting> settings = ImmutableMap.builderWithExpectedSize(users);
        for (int i = 0; i < users; i++) {
            settings.put(Username.of("user" + i + "@" + domain.asString()), UserRouting.thirdPartyForAllAddresses());
        }
        long start = System.nanoTime();
        try (JpaSplitRoutingStore store = JpaSplitRoutingStore.open(SplitRoutingDatabaseConfiguration.from(configuration))) {
            store.storeAll(Map.of(domain, DomainRouting.of(List.of(relay), false)), settings.build());
        }
        System.out.printf(java.util.Locale.ROOT, "stored_users=%d%nstore_s=%.2f%n", users, (System.nanoTime() - start) / 1e9);
    }
}
