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

import java.util.Optional;

import org.splitdomain.mailets.relay.SmtpReply;
import org.splitdomain.settings.RelayHost;

/** What recipient verification found out about one recipient: what the SMTP server answers at RCPT follows from it. */
public final class Verdict {
    public enum Kind {
        /** A relay took the recipient (2xx): accept it. */
        ACCEPTED("accepted"),
        /** A relay refused the recipient (5xx): refuse it too, so nobody has to bounce it later. */
        REFUSED("refused"),
        /** No relay gave a final answer (4xx, down, circuit open): the sender must retry. */
        UNAVAILABLE("unavailable"),
        /** The probe is still under way when the RCPT may wait no longer: the sender retries, the answer waits in the cache. */
        PENDING("pending"),
        /** The client has used up its probes: not probed, the sender must retry later. */
        THROTTLED("throttled");

        private final String value;

        Kind(String value) {
            this.value = value;
        }

        public String asString() {
            return value;
        }
    }

    /** What a relay's answer to RCPT means for the recipient: 2xx accepted, 5xx refused, else no final answer yet. */
    public static Verdict answered(RelayHost relay, SmtpReply reply) {
        switch (reply.getKind()) {
            case POSITIVE:
                return accepted(relay, reply.getText());
            case PERMANENT_FAILURE:
                return refused(relay, reply.getText());
            default:
                return unavailable(relay.asString() + " answered " + reply.getText());
        }
    }

    public static Verdict accepted(RelayHost relay, String reply) {
        return new Verdict(Kind.ACCEPTED, Optional.of(relay), reply, false);
    }

    public static Verdict refused(RelayHost relay, String reply) {
        return new Verdict(Kind.REFUSED, Optional.of(relay), reply, false);
    }

    public static Verdict unavailable(String reason) {
        return new Verdict(Kind.UNAVAILABLE, Optional.empty(), reason, false);
    }

    public static Verdict pending(String reason) {
        return new Verdict(Kind.PENDING, Optional.empty(), reason, false);
    }

    public static Verdict throttled(String reason) {
        return new Verdict(Kind.THROTTLED, Optional.empty(), reason, false);
    }

    private final Kind kind;
    private final Optional<RelayHost> relay;
    private final String detail;
    private final boolean cached;

    private Verdict(Kind kind, Optional<RelayHost> relay, String detail, boolean cached) {
        this.kind = kind;
        this.relay = relay;
        this.detail = detail;
        this.cached = cached;
    }

    Verdict fromCache() {
        return new Verdict(kind, relay, detail, true);
    }

    public Kind getKind() {
        return kind;
    }

    /** The relay that answered, for an accepted or refused recipient. */
    public Optional<RelayHost> getRelay() {
        return relay;
    }

    /** The relay's reply as it wrote it, or why no relay answered. */
    public String getDetail() {
        return detail;
    }

    /** Whether the answer was a cached one: no probe was sent for it. */
    public boolean isCached() {
        return cached;
    }

    @Override
    public String toString() {
        return kind.asString() + relay.map(host -> " by " + host.asString()).orElse("") + ": " + detail + (cached ? " (cached)" : "");
    }
}
