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
package org.splitdomain.mailets.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The circuit breaker of one relay's probes: after {@code failures} probes in a row without a final
 * answer within {@code rcpt.budget} (down, refusing for now, or answering so slowly that RCPTs wait for
 * nothing: a tarpit), the relay is not probed for {@code openTime}, so that such a relay costs each RCPT
 * nothing. Once that time has passed one probe is let through: an answer in time closes the circuit,
 * another failure opens it again at once.
 */
final class RelayCircuit {
    private final int failures;
    private final Duration openTime;
    private int failuresInARow;
    private Instant openUntil;

    RelayCircuit(int failures, Duration openTime) {
        this.failures = failures;
        this.openTime = openTime;
    }

    synchronized boolean isOpen(Instant now) {
        return openUntil != null && now.isBefore(openUntil);
    }

    synchronized Optional<Instant> openUntil() {
        return Optional.ofNullable(openUntil);
    }

    synchronized void answered() {
        failuresInARow = 0;
        openUntil = null;
    }

    /** Whether this failure opened the circuit. */
    synchronized boolean failed(Instant now) {
        failuresInARow++;
        if (failuresInARow >= failures) {
            boolean opening = !isOpen(now);
            openUntil = now.plus(openTime);
            return opening;
        }
        return false;
    }
}
