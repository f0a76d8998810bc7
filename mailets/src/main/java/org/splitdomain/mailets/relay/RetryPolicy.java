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

import java.time.Duration;
import java.util.Optional;

import com.google.common.base.MoreObjects;

/**
 * What follows an attempt that left recipients deferred: wait for the next retry, or give up with a DSN once
 * {@code maxRetries} is spent. An attempt that asked no relay at all (each failed a moment ago) uses up no retry: the
 * mail waits the last delay again, so it never comes back sooner than its schedule says.
 */
public final class RetryPolicy {
    /** Wait {@code delay}, with {@code retries} used so far, or give up. */
    public static final class Decision {
        private final Optional<Duration> delay;
        private final int retries;

        private Decision(Optional<Duration> delay, int retries) {
            this.delay = delay;
            this.retries = retries;
        }

        public boolean isGiveUp() {
            return delay.isEmpty();
        }

        /** How long the mail waits before its next attempt. */
        public Duration getDelay() {
            return delay.orElseThrow(() -> new IllegalStateException("a mail given up has no next attempt"));
        }

        /** The retries used once the mail comes back (the next attempt is retry {@code retries}); for a give-up, the retries made. */
        public int getRetries() {
            return retries;
        }

        /** Attempts made in all, the first one included: what the DSN of a give-up says. */
        public int getAttempts() {
            return retries + 1;
        }

        @Override
        public String toString() {
            return MoreObjects.toStringHelper(this).add("delay", delay).add("retries", retries).toString();
        }
    }

    private final RelayDeliveryConfiguration configuration;

    public RetryPolicy(RelayDeliveryConfiguration configuration) {
        this.configuration = configuration;
    }

    /** After an attempt of a mail that had used {@code retries} retries before it. */
    public Decision afterAttempt(int retries, boolean anyRelayAsked) {
        if (!anyRelayAsked) {
            return new Decision(Optional.of(configuration.delayBeforeRetry(Math.max(retries, 1))), retries);
        }
        if (retries >= configuration.getMaxRetries()) {
            return new Decision(Optional.empty(), retries);
        }
        return new Decision(Optional.of(configuration.delayBeforeRetry(retries + 1)), retries + 1);
    }
}
