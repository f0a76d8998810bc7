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
package org.splitdomain.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class InProcessWakeClaimsTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));
    private final InProcessWakeClaims claims = new InProcessWakeClaims(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    });

    @Test
    void claimShouldBeWonByTheFirstCallerOnly() {
        assertThat(claims.claim("stay1", Duration.ofMinutes(10))).isTrue();
        assertThat(claims.claim("stay1", Duration.ofMinutes(10))).isFalse();
        assertThat(claims.claim("stay2", Duration.ofMinutes(10))).isTrue();
    }

    @Test
    void aClaimShouldLapseAfterItsHold() {
        claims.claim("stay1", Duration.ofMinutes(10));

        now.set(now.get().plus(Duration.ofMinutes(11)));

        assertThat(claims.claim("stay1", Duration.ofMinutes(10))).isTrue();
    }
}
