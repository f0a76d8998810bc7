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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.inject.Inject;
import javax.inject.Singleton;

import com.google.common.annotations.VisibleForTesting;

/**
 * Claims held in this JVM: right wherever one node only wakes the waiting room's mail (memory flavour, JPA flavour with
 * its own embedded queue). Nodes sharing a waiting room need claims they share (CassandraWakeClaims).
 */
@Singleton
public class InProcessWakeClaims implements WakeClaims {
    private final Clock clock;
    private final Map<String, Instant> claims = new ConcurrentHashMap<>();

    @Inject
    public InProcessWakeClaims() {
        this(Clock.systemUTC());
    }

    @VisibleForTesting
    public InProcessWakeClaims(Clock clock) {
        this.clock = clock;
    }

    @Override
    public boolean claim(String waitId, Duration hold) {
        Instant now = clock.instant();
        claims.values().removeIf(until -> until.isBefore(now));
        AtomicBoolean won = new AtomicBoolean();
        claims.compute(waitId, (id, until) -> {
            if (until != null && !until.isBefore(now)) {
                return until;
            }
            won.set(true);
            return now.plus(hold);
        });
        return won.get();
    }
}
