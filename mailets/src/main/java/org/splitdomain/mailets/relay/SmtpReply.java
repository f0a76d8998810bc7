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

/** One reply of an SMTP server: its code and its text as the server wrote it. */
public final class SmtpReply {
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

    public boolean isPositive() {
        return code / 100 == 2;
    }

    public boolean isPermanentFailure() {
        return code / 100 == 5;
    }

    @Override
    public String toString() {
        return text;
    }
}
