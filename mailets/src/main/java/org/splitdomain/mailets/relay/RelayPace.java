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
import java.util.concurrent.ConcurrentHashMap;

/**
 * How quickly one relay answered lately: whether a thread of James's spool may talk to it ({@link ImmediateDelivery}).
 * A relay is quick once a use of one of its connections (opening it, then the transaction, until the connection is given
 * back) ended well within {@code slowRelayTime}, and stays so while no use of it takes longer, for at most
 * {@code connectionReuseTime} after the last one. A relay never used, one that failed, one that answered slowly and one
 * that is answering slowly right now get their mail from the relay queue's threads only, which alone find out when it is
 * quick again: a relay that turns silent holds no spool thread but those already talking to it.
 */
final class RelayPace {
    private final Duration slowRelayTime;
    private final Duration memory;
    private final Clock clock;
    private final Map<Object, Instant> uses = new ConcurrentHashMap<>();
    private volatile Instant quickUntil = Instant.EPOCH;

    RelayPace(Duration slowRelayTime, Duration memory, Clock clock) {
        this.slowRelayTime = slowRelayTime;
        this.memory = memory;
        this.clock = clock;
    }

    /** A use of the relay begins: hand the result to {@link #ended}. */
    Object started() {
        Object use = new Object();
        uses.put(use, clock.instant());
        return use;
    }

    /** The use ended; {@code answered}: the relay answered as a relay should (a refusal is an answer, a lost connection is not). */
    void ended(Object use, boolean answered) {
        Instant began = uses.remove(use);
        Instant now = clock.instant();
        boolean quick = answered && began != null && !began.plus(slowRelayTime).isBefore(now);
        quickUntil = quick ? now.plus(memory) : Instant.EPOCH;
    }

    /** Whether a spool thread may use the relay now. */
    boolean isQuick() {
        Instant now = clock.instant();
        if (quickUntil.isBefore(now)) {
            return false;
        }
        Instant slowSince = now.minus(slowRelayTime);
        return uses.values().stream().noneMatch(began -> began.isBefore(slowSince));
    }
}
