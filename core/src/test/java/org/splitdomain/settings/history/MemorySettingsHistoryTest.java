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
