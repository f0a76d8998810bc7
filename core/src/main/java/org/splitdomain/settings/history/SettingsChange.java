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
package org.splitdomain.settings.history;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One change of split-routing settings, as the audit history keeps it: when, who (the WebAdmin login, when
 * authentication is on), through what ({@code webadmin}, {@code import}, {@code user-deleted}, {@code user-renamed},
 * {@code domain-deleted}), whose settings (a domain or a user), and the settings before and after as the routes
 * show them (JSON; empty when there were none).
 */
public final class SettingsChange {
    /** Whose settings changed: a domain's, a user's, or many at once (an import too large to record entry by entry). */
    public enum Kind {
        DOMAIN("domain"),
        USER("user"),
        ALL("all");

        private final String value;

        Kind(String value) {
            this.value = value;
        }

        public String asString() {
            return value;
        }

        public static Kind parse(String value) {
            for (Kind kind : values()) {
                if (kind.value.equals(value)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown kind of settings change '" + value + "'");
        }
    }

    private final Instant at;
    private final Optional<String> actor;
    private final String source;
    private final Kind kind;
    private final String subject;
    private final Optional<String> before;
    private final Optional<String> after;

    public SettingsChange(Instant at, Optional<String> actor, String source, Kind kind, String subject, Optional<String> before,
                          Optional<String> after) {
        this.at = at;
        this.actor = actor;
        this.source = source;
        this.kind = kind;
        this.subject = subject;
        this.before = before;
        this.after = after;
    }

    public Instant getAt() {
        return at;
    }

    public Optional<String> getActor() {
        return actor;
    }

    public String getSource() {
        return source;
    }

    public Kind getKind() {
        return kind;
    }

    /** The domain, or the username, whose settings changed. */
    public String getSubject() {
        return subject;
    }

    /** The domain the change belongs to: the domain itself, or the user's; none for {@link Kind#ALL}. */
    public String getDomain() {
        switch (kind) {
            case DOMAIN:
                return subject;
            case USER:
                return subject.substring(subject.lastIndexOf('@') + 1);
            default:
                return "";
        }
    }

    public Optional<String> getBefore() {
        return before;
    }

    public Optional<String> getAfter() {
        return after;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SettingsChange)) {
            return false;
        }
        SettingsChange that = (SettingsChange) o;
        return at.equals(that.at) && actor.equals(that.actor) && source.equals(that.source) && kind == that.kind
            && subject.equals(that.subject) && before.equals(that.before) && after.equals(that.after);
    }

    @Override
    public int hashCode() {
        return Objects.hash(at, actor, source, kind, subject, before, after);
    }

    @Override
    public String toString() {
        return at + " " + actor.orElse("-") + " " + source + " " + kind.asString() + " " + subject + ": "
            + before.orElse("none") + " -> " + after.orElse("none");
    }
}
