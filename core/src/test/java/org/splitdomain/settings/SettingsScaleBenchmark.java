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
package org.splitdomain.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.mail.internet.AddressException;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

/**
 * The settings of a large split domain through a database store, as James uses it (a node's copy in front of the
 * database): one import of {@code splitdomain.scale.users} user settings (1 M by default), the node that wrote it not
 * reloading, and another node loading its copy from scratch. Not run by {@code .ci/run} (tag {@value #TAG}):
 * {@code benchmarks/run.sh} runs it and reads the figures it writes to {@code target/settings-scale-<store>.properties}.
 */
@Tag(SettingsScaleBenchmark.TAG)
public interface SettingsScaleBenchmark {
    String TAG = "settings-scale";
    Domain SPLIT_DOMAIN = Domain.of("example.com");

    /** A name for the figures: {@code jpa-postgresql}, {@code cassandra}. */
    String storeName();

    /** A new node's view of the one database, closed by the caller when it is {@link AutoCloseable}. */
    SharedSplitRoutingStore openNode();

    /** Waits until the database has finished what the import left to do in the background, if anything. */
    default void awaitSettled(SharedSplitRoutingStore store) {
    }

    static int users() {
        return Integer.getInteger("splitdomain.scale.users", 1_000_000);
    }

    /** Half the users forward every address, half one chosen alias: 1.5 stored addresses per user on average. */
    static Map<Username, UserRouting> thirdPartyUsers(int count) {
        ImmutableMap.Builder<Username, UserRouting> users = ImmutableMap.builderWithExpectedSize(count);
        for (int i = 0; i < count; i++) {
            Username username = Username.of("user" + i + "@" + SPLIT_DOMAIN.asString());
            users.put(username, i % 2 == 0
                ? UserRouting.thirdPartyForAllAddresses()
                : UserRouting.thirdParty(ImmutableList.of(address("alias" + i + "@" + SPLIT_DOMAIN.asString()))));
        }
        return users.build();
    }

    private static MailAddress address(String address) {
        try {
            return new MailAddress(address);
        } catch (AddressException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    default void importAndReloadAtScale() throws Exception {
        int count = users();
        Map<Username, UserRouting> users = thirdPartyUsers(count);
        Map<Domain, DomainRouting> domains = ImmutableMap.of(SPLIT_DOMAIN, DomainRouting.of(ImmutableList.of(RelayHost.parse("mx2.example.com")), true));
        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("users", String.valueOf(count));
        SharedSplitRoutingStore writer = openNode();
        SharedSplitRoutingStore reader = openNode();
        try (CachedSplitRoutingStore writingNode = new CachedSplitRoutingStore(writer, Duration.ofDays(1))) {
            long start = System.nanoTime();
            writingNode.storeAll(domains, users);
            figures.put("import_s", seconds(System.nanoTime() - start));

            // The node that wrote holds the import already: its next refresh must not reload it.
            start = System.nanoTime();
            writingNode.refresh();
            figures.put("own_refresh_ms", String.valueOf(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
            assertThat(writingNode.listUserRoutings()).hasSize(count);

            start = System.nanoTime();
            try (CachedSplitRoutingStore otherNode = new CachedSplitRoutingStore(reader, Duration.ofDays(1))) {
                figures.put("reload_s", seconds(System.nanoTime() - start));
                assertThat(otherNode.listUserRoutings()).hasSize(count);
                assertThat(otherNode.userRouting(Username.of("user1@example.com"))).contains(users.get(Username.of("user1@example.com")));
            }

            start = System.nanoTime();
            awaitSettled(writer);
            figures.put("settled_s", seconds(System.nanoTime() - start));

            // The same import run again: every user is already there, and is replaced.
            start = System.nanoTime();
            writingNode.storeAll(domains, users);
            awaitSettled(writer);
            figures.put("reimport_s", seconds(System.nanoTime() - start));
            assertThat(writer.listUserRoutings()).hasSize(count);
        } finally {
            if (reader instanceof AutoCloseable) {
                ((AutoCloseable) reader).close();
            }
        }
        write(figures);
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.2f", nanos / 1e9);
    }

    private void write(Map<String, String> figures) {
        Path file = Paths.get("target", "settings-scale-" + storeName() + ".properties");
        try {
            Files.writeString(file, figures.entrySet().stream()
                .map(figure -> figure.getKey() + "=" + figure.getValue())
                .collect(Collectors.joining("\n", "", "\n")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
