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
package org.splitdomain.mailets.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.splitdomain.testing.SettableClock;

/** Which relays a thread of James's spool may talk to. */
class RelayPaceTest {
    private static final Duration SLOW_RELAY_TIME = Duration.ofSeconds(2);
    private static final Duration MEMORY = Duration.ofMinutes(5);

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-07T10:00:00Z"));
    private final RelayPace pace = new RelayPace(SLOW_RELAY_TIME, MEMORY, clock);

    private void quickUse() {
        Object use = pace.started();
        clock.advance(Duration.ofMillis(20));
        pace.ended(use, true);
    }

    @Test
    void aRelayNeverUsedShouldNotBeQuick() {
        assertThat(pace.isQuick()).isFalse();
    }

    @Test
    void aRelayThatAnsweredWithinSlowRelayTimeShouldBeQuick() {
        quickUse();

        assertThat(pace.isQuick()).isTrue();
    }

    @Test
    void aRelayWhoseLastUseTookLongerThanSlowRelayTimeShouldNotBeQuick() {
        quickUse();
        Object use = pace.started();
        clock.advance(SLOW_RELAY_TIME.plusMillis(1));
        pace.ended(use, true);

        assertThat(pace.isQuick()).isFalse();
    }

    @Test
    void aRelayAnsweringSlowlyRightNowShouldNotBeQuickBeforeThatUseEnds() {
        quickUse();
        pace.started();
        clock.advance(SLOW_RELAY_TIME.plusMillis(1));

        assertThat(pace.isQuick()).isFalse();
    }

    @Test
    void aUseInProgressWithinSlowRelayTimeShouldNotStopTheOthers() {
        quickUse();
        pace.started();
        clock.advance(SLOW_RELAY_TIME.minusMillis(1));

        assertThat(pace.isQuick()).isTrue();
    }

    @Test
    void aRelayThatFailedShouldNotBeQuick() {
        quickUse();
        Object use = pace.started();
        pace.ended(use, false);

        assertThat(pace.isQuick()).isFalse();
    }

    @Test
    void aQuickUseShouldMakeASlowRelayQuickAgain() {
        Object slow = pace.started();
        clock.advance(SLOW_RELAY_TIME.plusSeconds(1));
        pace.ended(slow, true);

        quickUse();

        assertThat(pace.isQuick()).isTrue();
    }

    @Test
    void aRelayUnusedLongerThanItsMemoryShouldBeUnknownAgain() {
        quickUse();
        clock.advance(MEMORY.plusSeconds(1));

        assertThat(pace.isQuick()).isFalse();
    }
}
