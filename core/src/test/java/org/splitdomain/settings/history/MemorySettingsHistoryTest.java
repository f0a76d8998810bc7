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

import java.time.Clock;
import java.util.Optional;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.common.collect.ImmutableList;

class MemorySettingsHistoryTest implements SettingsHistoryContract {
    private MemorySettingsHistory history;

    @BeforeEach
    void setUp() {
        history = new MemorySettingsHistory();
    }

    @Override
    public SettingsHistory history() {
        return history;
    }

    @Test
    void onlyTheNewestChangesShouldBeKeptBeyondItsBound() {
        MemorySettingsHistory bounded = new MemorySettingsHistory(Clock.systemUTC(), 3);
        bounded.record(IntStream.range(0, 5)
            .mapToObj(index -> SettingsHistoryContract.userChange(NOW.plusSeconds(index), "user" + index + "@example.com",
                Optional.empty(), Optional.of("{\"thirdParty\":true}")))
            .collect(ImmutableList.toImmutableList()));

        assertThat(bounded.list(HistoryQuery.all())).extracting(SettingsChange::getSubject)
            .containsExactly("user4@example.com", "user3@example.com", "user2@example.com");
    }
}
