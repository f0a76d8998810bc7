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
