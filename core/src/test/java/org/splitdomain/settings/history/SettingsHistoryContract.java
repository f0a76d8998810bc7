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
package org.splitdomain.settings.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.splitdomain.settings.history.SettingsChange.Kind;

import com.google.common.collect.ImmutableList;

/** What every history backend must do. A backend's test implements this interface and provides {@link #history()}. */
public interface SettingsHistoryContract {
    // Stores keep milliseconds: the changes of these tests are made at whole milliseconds.
    Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    SettingsHistory history();

    static SettingsChange userChange(Instant at, String username, Optional<String> before, Optional<String> after) {
        return new SettingsChange(at, Optional.of("admin"), "webadmin", Kind.USER, username, before, after);
    }

    static SettingsChange domainChange(Instant at, String domain, String after) {
        return new SettingsChange(at, Optional.empty(), "import", Kind.DOMAIN, domain, Optional.empty(), Optional.of(after));
    }

    @Test
    default void aRecordedChangeShouldBeListedWhole() {
        SettingsChange change = userChange(NOW, "bob@example.com", Optional.of("{\"thirdParty\":false}"), Optional.of("{\"thirdParty\":true}"));
        SettingsChange withoutActor = domainChange(NOW.plusMillis(1), "example.com", "{\"relays\":[\"mx2.example.com:25\"]}");

        history().record(ImmutableList.of(change, withoutActor));

        assertThat(history().list(HistoryQuery.all())).containsExactly(withoutActor, change);
    }

    @Test
    default void changesShouldBeListedNewestFirst() {
        SettingsChange first = userChange(NOW.minusSeconds(20), "bob@example.com", Optional.empty(), Optional.of("{\"thirdParty\":true}"));
        SettingsChange second = userChange(NOW.minusSeconds(10), "bob@example.com", Optional.of("{\"thirdParty\":true}"), Optional.empty());
        history().record(ImmutableList.of(first));
        history().record(ImmutableList.of(second));

        assertThat(history().list(HistoryQuery.all())).containsExactly(second, first);
    }

    @Test
    default void anAddressShouldFindItsUserAndEverySettingNamingIt() {
        SettingsChange bob = userChange(NOW.minusSeconds(3), "bob@example.com", Optional.empty(), Optional.of("{\"thirdParty\":true}"));
        SettingsChange naming = userChange(NOW.minusSeconds(2), "dave@example.com", Optional.empty(),
            Optional.of("{\"thirdParty\":true,\"forwardedAddresses\":[\"bob@example.com\"]}"));
        SettingsChange lookalike = userChange(NOW.minusSeconds(1), "jim.bob@example.com", Optional.empty(), Optional.of("{\"thirdParty\":true}"));
        history().record(ImmutableList.of(bob, naming, lookalike));

        assertThat(history().list(HistoryQuery.all().address("BOB@example.com"))).containsExactly(naming, bob);
    }

    @Test
    default void aDomainShouldFindItsSettingsAndItsUsers() {
        SettingsChange domain = domainChange(NOW.minusSeconds(3), "example.com", "{\"relays\":[\"mx2.example.com:25\"]}");
        SettingsChange user = userChange(NOW.minusSeconds(2), "bob@example.com", Optional.empty(), Optional.of("{\"thirdParty\":true}"));
        SettingsChange other = userChange(NOW.minusSeconds(1), "bob@example.org", Optional.empty(), Optional.of("{\"thirdParty\":true}"));
        history().record(ImmutableList.of(domain, user, other));

        assertThat(history().list(HistoryQuery.all().domain("example.com"))).containsExactly(user, domain);
    }

    @Test
    default void sinceShouldLeaveOutOlderChanges() {
        SettingsChange old = userChange(NOW.minus(Duration.ofDays(3)), "bob@example.com", Optional.empty(), Optional.of("{\"thirdParty\":true}"));
        SettingsChange recent = userChange(NOW.minus(Duration.ofHours(1)), "bob@example.com", Optional.empty(), Optional.of("{\"thirdParty\":false}"));
        history().record(ImmutableList.of(old, recent));

        assertThat(history().list(HistoryQuery.all().since(NOW.minus(Duration.ofDays(1))))).containsExactly(recent);
        assertThat(history().list(HistoryQuery.all().since(NOW.minus(Duration.ofDays(4))))).containsExactly(recent, old);
    }

    @Test
    default void pagesShouldFollowEachOtherWithoutGapOrRepeat() {
        ImmutableList<SettingsChange> changes = IntStream.range(0, 1203)
            .mapToObj(index -> userChange(NOW.minusSeconds(2000).plusSeconds(index), "user" + index + "@example.com", Optional.empty(),
                Optional.of("{\"thirdParty\":true}")))
            .collect(ImmutableList.toImmutableList());
        history().record(changes);

        List<SettingsChange> newestFirst = changes.reverse();
        assertThat(history().list(HistoryQuery.all().page(0, 1000))).isEqualTo(newestFirst.subList(0, 1000));
        assertThat(history().list(HistoryQuery.all().page(1000, 1000))).isEqualTo(newestFirst.subList(1000, 1203));
        assertThat(history().list(HistoryQuery.all().domain("example.com").page(600, 2))).isEqualTo(newestFirst.subList(600, 602));
    }

    @Test
    default void changesOlderThanTheRetentionShouldBeGone() {
        SettingsChange expired = userChange(NOW.minus(SettingsHistory.RETENTION).minus(Duration.ofDays(1)), "bob@example.com",
            Optional.empty(), Optional.of("{\"thirdParty\":true}"));
        SettingsChange kept = userChange(NOW.minus(SettingsHistory.RETENTION).plus(Duration.ofDays(1)), "bob@example.com",
            Optional.empty(), Optional.of("{\"thirdParty\":false}"));
        history().record(ImmutableList.of(expired, kept));

        assertThat(history().list(HistoryQuery.all())).containsExactly(kept);
    }

    @Test
    default void settingsOfManyAddressesShouldBeKeptWhole() {
        String many = IntStream.range(0, 2000).mapToObj(index -> "\"alias" + index + "@example.com\"")
            .collect(java.util.stream.Collectors.joining(",", "{\"thirdParty\":true,\"forwardedAddresses\":[", "]}"));
        SettingsChange change = userChange(NOW, "bob@example.com", Optional.empty(), Optional.of(many));
        history().record(ImmutableList.of(change));

        assertThat(history().list(HistoryQuery.all().address("alias1999@example.com"))).containsExactly(change);
    }
}
