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

/**
 * One reply of an SMTP server: its code and its text as the server wrote it. The one reading of a relay's answer: what a
 * delivery attempt did for a recipient ({@link RecipientOutcome}) and what recipient verification answers
 * ({@code Verdict}) are both built from its {@link Kind}.
 */
public final class SmtpReply {
    /** RFC 5321 4.2.1: what the first digit of a reply says of the command. */
    public enum Kind {
        /** 2xx: done. */
        POSITIVE,
        /** 5xx: refused for good; asking again gets the same answer. */
        PERMANENT_FAILURE,
        /** 4xx, or anything that is not a final answer: ask again later. */
        TRANSIENT_FAILURE
    }

    public static SmtpReply of(int code, String text) {
        return new SmtpReply(code, Optional.ofNullable(text).map(String::trim).orElse(String.valueOf(code)));
    }

    private final int code;
    private final String text;

    private SmtpReply(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int getCode() {
        return code;
    }

    /** The whole reply line(s), code included, as the server sent them. */
    public String getText() {
        return text;
    }

    public Kind getKind() {
        switch (code / 100) {
            case 2:
                return Kind.POSITIVE;
            case 5:
                return Kind.PERMANENT_FAILURE;
            default:
                return Kind.TRANSIENT_FAILURE;
        }
    }

    public boolean isPositive() {
        return getKind() == Kind.POSITIVE;
    }

    /** A positive answer or a refusal for good: asking again would get the same. */
    public boolean isFinal() {
        return getKind() != Kind.TRANSIENT_FAILURE;
    }

    @Override
    public String toString() {
        return text;
    }
}
