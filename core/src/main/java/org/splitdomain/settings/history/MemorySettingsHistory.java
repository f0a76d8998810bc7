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

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import javax.inject.Inject;

import com.google.common.collect.ImmutableList;

/**
 * The history kept in memory, for the memory flavour: lost at restart, as its settings are. Besides
 * {@link SettingsHistory#RETENTION}, it keeps at most {@link #MAX_CHANGES} changes, the newest.
 */
public class MemorySettingsHistory implements SettingsHistory {
    public static final int MAX_CHANGES = 100_000;

    private final Clock clock;
    private final int maxChanges;
    private final Deque<SettingsChange> changes = new ArrayDeque<>();

    @Inject
    public MemorySettingsHistory() {
        this(Clock.systemUTC(), MAX_CHANGES);
    }

    public MemorySettingsHistory(Clock clock, int maxChanges) {
        this.clock = clock;
        this.maxChanges = maxChanges;
    }

    @Override
    public synchronized void record(List<SettingsChange> recorded) {
        recorded.forEach(changes::addFirst);
        while (changes.size() > maxChanges) {
            changes.removeLast();
        }
    }

    @Override
    public Stream<SettingsChange> newestFirst(Optional<Instant> since) {
        Instant oldest = clock.instant().minus(RETENTION);
        Instant from = since.filter(time -> time.isAfter(oldest)).orElse(oldest);
        List<SettingsChange> snapshot;
        synchronized (this) {
            snapshot = ImmutableList.copyOf(changes);
        }
        return snapshot.stream().filter(change -> !change.getAt().isBefore(from));
    }
}
