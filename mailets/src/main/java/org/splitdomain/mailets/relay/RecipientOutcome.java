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

import java.util.Optional;

import org.splitdomain.settings.RelayHost;

import com.google.common.base.MoreObjects;

/** What one delivery attempt did for one recipient: delivered, refused for good, or to be tried again. */
public final class RecipientOutcome {
    public enum Kind {
        /** A relay answered 2xx after DATA. */
        DELIVERED,
        /** A relay answered 5xx: the sender gets a DSN for this recipient. */
        REFUSED,
        /** 4xx, a timeout, a relay that cannot be reached or cannot meet its TLS or AUTH policy: retried later. */
        DEFERRED
    }

    /** What the relay's answer to the transaction means for the recipient: 2xx delivered, 5xx refused, else deferred. */
    public static RecipientOutcome answered(RelayHost relay, SmtpReply reply) {
        switch (reply.getKind()) {
            case POSITIVE:
                return delivered(relay);
            case PERMANENT_FAILURE:
                return refused(relay, reply.getText());
            default:
                return deferred(Optional.of(relay), reply.getText());
        }
    }

    public static RecipientOutcome delivered(RelayHost relay) {
        return new RecipientOutcome(Kind.DELIVERED, Optional.of(relay), "delivered", true, false);
    }

    /** {@code reply} is the relay's answer, such as {@code 550 5.1.1 no such user}. */
    public static RecipientOutcome refused(RelayHost relay, String reply) {
        return new RecipientOutcome(Kind.REFUSED, Optional.of(relay), reply, true, false);
    }

    public static RecipientOutcome deferred(Optional<RelayHost> relay, String reason) {
        return new RecipientOutcome(Kind.DEFERRED, relay, reason, true, false);
    }

    /** Deferred without asking any relay (every one of them failed a moment ago): the attempt does not count. */
    public static RecipientOutcome notTried(RelayHost relay, String reason) {
        return new RecipientOutcome(Kind.DEFERRED, Optional.of(relay), reason, false, false);
    }

    private final Kind kind;
    private final Optional<RelayHost> relay;
    private final String detail;
    private final boolean tried;
    private final boolean onReusedConnection;

    private RecipientOutcome(Kind kind, Optional<RelayHost> relay, String detail, boolean tried, boolean onReusedConnection) {
        this.kind = kind;
        this.relay = relay;
        this.detail = detail;
        this.tried = tried;
        this.onReusedConnection = onReusedConnection;
    }

    /** The same outcome, given on a connection that had carried mail before. */
    RecipientOutcome onReusedConnection() {
        return new RecipientOutcome(kind, relay, detail, tried, true);
    }

    /** Whether the relay answered on a connection it had already used for earlier mail. */
    public boolean isOnReusedConnection() {
        return onReusedConnection;
    }

    /** Whether a relay was asked, or could not be reached, for this outcome. */
    public boolean isTried() {
        return tried;
    }

    public Kind getKind() {
        return kind;
    }

    /** The relay that gave this outcome; empty when no relay could be asked. */
    public Optional<RelayHost> getRelay() {
        return relay;
    }

    /** The relay's reply or why it could not be used. */
    public String getDetail() {
        return detail;
    }

    @Override
    public String toString() {
        return MoreObjects.toStringHelper(this)
            .add("kind", kind)
            .add("relay", relay)
            .add("detail", detail)
            .toString();
    }
}
