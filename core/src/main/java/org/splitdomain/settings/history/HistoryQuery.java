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
import java.util.Locale;
import java.util.Optional;

/**
 * Which changes of the history to list, newest first: those about an address (the user of that name, or any
 * settings naming it, such as a forwarded alias), those of a domain (its own settings and its users'), those
 * since a time; then a page of them.
 */
public final class HistoryQuery {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public static HistoryQuery all() {
        return new HistoryQuery(Optional.empty(), Optional.empty(), Optional.empty(), 0, DEFAULT_LIMIT);
    }

    private final Optional<String> address;
    private final Optional<String> domain;
    private final Optional<Instant> since;
    private final int offset;
    private final int limit;

    public HistoryQuery(Optional<String> address, Optional<String> domain, Optional<Instant> since, int offset, int limit) {
        this.address = address.map(value -> value.toLowerCase(Locale.ROOT));
        this.domain = domain.map(value -> value.toLowerCase(Locale.ROOT));
        this.since = since;
        this.offset = offset;
        this.limit = limit;
    }

    public HistoryQuery address(String value) {
        return new HistoryQuery(Optional.of(value), domain, since, offset, limit);
    }

    public HistoryQuery domain(String value) {
        return new HistoryQuery(address, Optional.of(value), since, offset, limit);
    }

    public HistoryQuery since(Instant value) {
        return new HistoryQuery(address, domain, Optional.of(value), offset, limit);
    }

    public HistoryQuery page(int newOffset, int newLimit) {
        return new HistoryQuery(address, domain, since, newOffset, newLimit);
    }

    public Optional<Instant> getSince() {
        return since;
    }

    public int getOffset() {
        return offset;
    }

    public int getLimit() {
        return limit;
    }

    /** Whether the change is one this query lists, paging aside. */
    public boolean matches(SettingsChange change) {
        return since.map(time -> !change.getAt().isBefore(time)).orElse(true)
            && domain.map(value -> change.getDomain().equalsIgnoreCase(value)).orElse(true)
            && address.map(value -> change.getSubject().equalsIgnoreCase(value) || names(change, value)).orElse(true);
    }

    // Settings name addresses as JSON strings: the quotes keep bob@example.com from matching jim.bob@example.com.
    private static boolean names(SettingsChange change, String address) {
        String quoted = "\"" + address + "\"";
        return change.getBefore().map(json -> json.toLowerCase(Locale.ROOT).contains(quoted)).orElse(false)
            || change.getAfter().map(json -> json.toLowerCase(Locale.ROOT).contains(quoted)).orElse(false);
    }
}
