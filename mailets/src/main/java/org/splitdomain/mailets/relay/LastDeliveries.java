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
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.splitdomain.settings.RelayHost;

/**
 * How the last delivery to each relay ended, as this node saw it: what the relay health check reports
 * beside its own test session. A relay that answered, even with a refusal of a recipient, took part in
 * the delivery; a relay that left every recipient deferred (down, 4xx, policy not met) did not.
 */
public final class LastDeliveries {
    /** One delivery to one relay: when, whether the relay took part, and the reason when it did not. */
    public static final class LastDelivery {
        private final Instant at;
        private final boolean answered;
        private final String detail;

        private LastDelivery(Instant at, boolean answered, String detail) {
            this.at = at;
            this.answered = answered;
            this.detail = detail;
        }

        public Instant getAt() {
            return at;
        }

        /** {@code false} when every recipient was deferred: the relay did not take part in the delivery. */
        public boolean isAnswered() {
            return answered;
        }

        /** {@code delivered}, {@code refused} or the deferral's reason. */
        public String getDetail() {
            return detail;
        }
    }

    private final Clock clock;
    private final Map<RelayHost, LastDelivery> deliveries = new ConcurrentHashMap<>();

    public LastDeliveries(Clock clock) {
        this.clock = clock;
    }

    void record(RelayHost relay, Collection<RecipientOutcome> outcomes) {
        deliveries.put(relay, outcomes.stream()
            .filter(outcome -> outcome.getKind() == RecipientOutcome.Kind.DELIVERED)
            .findAny()
            .or(() -> outcomes.stream().filter(outcome -> outcome.getKind() == RecipientOutcome.Kind.REFUSED).findAny())
            .map(outcome -> new LastDelivery(clock.instant(), true,
                outcome.getKind() == RecipientOutcome.Kind.DELIVERED ? "delivered" : "refused: " + outcome.getDetail()))
            .orElseGet(() -> new LastDelivery(clock.instant(), false,
                outcomes.stream().findFirst().map(RecipientOutcome::getDetail).orElse("no recipient was tried"))));
    }

    public Optional<LastDelivery> of(RelayHost relay) {
        return Optional.ofNullable(deliveries.get(relay));
    }
}
