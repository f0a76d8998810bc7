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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.splitdomain.settings.RelayHost;

/**
 * A short memory of relays that could not be reached: for a while after a failure, mail for such a
 * relay goes straight to the next relay of its domain, or waits, instead of each mail waiting out
 * the connect timeout again.
 */
public final class FailedRelays {
    private static final class Failure {
        private final Instant until;
        private final String error;

        private Failure(Instant until, String error) {
            this.until = until;
            this.error = error;
        }
    }

    private final Duration memory;
    private final Clock clock;
    private final Map<RelayHost, Failure> failures = new ConcurrentHashMap<>();

    public FailedRelays(Duration memory, Clock clock) {
        this.memory = memory;
        this.clock = clock;
    }

    public void failed(RelayHost relay, String error) {
        failures.put(relay, new Failure(clock.instant().plus(memory), error));
    }

    public void reached(RelayHost relay) {
        failures.remove(relay);
    }

    /** Why the relay is not to be tried now, if it failed a moment ago. */
    public Optional<String> recentFailure(RelayHost relay) {
        Failure failure = failures.get(relay);
        if (failure == null) {
            return Optional.empty();
        }
        if (failure.until.isBefore(clock.instant())) {
            failures.remove(relay, failure);
            return Optional.empty();
        }
        return Optional.of(failure.error);
    }

    /** Forgets every failure: the operator asked to retry now. */
    public void forget() {
        failures.clear();
    }
}
