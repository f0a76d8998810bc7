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
