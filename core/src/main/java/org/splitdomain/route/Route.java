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
package org.splitdomain.route;

/** Where one recipient goes. */
public enum Route {
    /** A mailbox of this server: James's local delivery. */
    LOCAL("local"),
    /** The relay of a split domain: the other system's SMTP server. */
    RELAY("relay"),
    /** An address of a local domain that nobody knows: rejected at RCPT, bounced if it got in. */
    REJECT("reject"),
    /** A domain this server does not manage: James's own remote delivery (relay authorisation applies). */
    REMOTE("remote");

    private final String value;

    Route(String value) {
        this.value = value;
    }

    public String asString() {
        return value;
    }
}
