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

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.google.common.collect.ImmutableList;

/**
 * The audit history of split-routing settings: every change, kept for {@link #RETENTION}, in the flavour's
 * store (memory, JPA, Cassandra) so that every node lists the same history. Every backend passes
 * {@code SettingsHistoryContract}.
 */
public interface SettingsHistory {
    /** How long a change is kept. */
    Duration RETENTION = Duration.ofDays(180);

    /** Keeps the changes, in one write where the store can. */
    void record(List<SettingsChange> changes);

    /** Every change kept, newest first, from {@code since} on when given; read lazily, page by page. */
    Stream<SettingsChange> newestFirst(Optional<Instant> since);

    /** The changes the query asks for, newest first. */
    default List<SettingsChange> list(HistoryQuery query) {
        try (Stream<SettingsChange> changes = newestFirst(query.getSince())) {
            return changes.filter(query::matches)
                .skip(query.getOffset())
                .limit(query.getLimit())
                .collect(ImmutableList.toImmutableList());
        }
    }
}
