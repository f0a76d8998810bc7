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
package org.splitdomain.settings.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.SplitRoutingStore;
import org.splitdomain.settings.UserRouting;
import org.splitdomain.settings.history.SettingsChange;
import org.splitdomain.settings.history.SettingsChange.Kind;
import org.splitdomain.settings.history.SettingsHistory;

import com.google.common.annotations.VisibleForTesting;
import com.google.common.collect.ImmutableMap;

/**
 * Records every change of split-routing settings in the {@link SettingsHistory}: who made it (the WebAdmin
 * login, when authentication is on), through what, and the settings before and after as WebAdmin shows them.
 * A write that changes nothing records nothing. Only the {@link SettingsService} writes settings, so only it
 * records them.
 *
 * <p>The history is written after the settings: when it cannot be written (its database is down), the change
 * stands, and an ERROR log holds what the history lacks.</p>
 */
public class SettingsAudit {
    static final String WEBADMIN = "webadmin";
    static final String IMPORT = "import";
    static final String USER_DELETED = "user-deleted";
    static final String USER_RENAMED = "user-renamed";
    static final String DOMAIN_DELETED = "domain-deleted";
    /** Beyond this many changed entries, an import is recorded as one entry of counts instead of entry by entry. */
    public static final int DETAILED_IMPORT_LIMIT = 10_000;
    private static final Logger LOGGER = LoggerFactory.getLogger(SettingsAudit.class);

    /** The settings of some domains or users, read before a write: what the history compares those after it with. */
    static final class Before {
        private final Kind kind;
        private final Map<String, Optional<String>> settings;

        private Before(Kind kind, Map<String, Optional<String>> settings) {
            this.kind = kind;
            this.settings = settings;
        }
    }

    private final SplitRoutingStore store;
    private final SettingsHistory history;
    private final Clock clock;
    private final int detailedImportLimit;

    @Inject
    public SettingsAudit(SplitRoutingStore store, SettingsHistory history) {
        this(store, history, Clock.systemUTC(), DETAILED_IMPORT_LIMIT);
    }

    @VisibleForTesting
    public SettingsAudit(SplitRoutingStore store, SettingsHistory history, Clock clock, int detailedImportLimit) {
        this.store = store;
        this.history = history;
        this.clock = clock;
        this.detailedImportLimit = detailedImportLimit;
    }

    Before domain(Domain domain) {
        return new Before(Kind.DOMAIN, ImmutableMap.of(domain.asString(), domainJson(domain)));
    }

    Before users(Collection<Username> usernames) {
        Map<String, Optional<String>> settings = new LinkedHashMap<>();
        usernames.forEach(username -> settings.put(username.asString(), userJson(username)));
        return new Before(Kind.USER, settings);
    }

    /** Records, for each domain or user read {@code before}, its settings now when they changed. */
    void record(Before before, Optional<String> actor, String source) {
        Instant at = clock.instant();
        List<SettingsChange> changes = new ArrayList<>();
        before.settings.forEach((subject, was) -> {
            Optional<String> now = before.kind == Kind.DOMAIN ? domainJson(Domain.of(subject)) : userJson(Username.of(subject));
            if (!now.equals(was)) {
                changes.add(new SettingsChange(at, actor, source, before.kind, subject, was, now));
            }
        });
        write(changes);
    }

    /** An import's writes, entry by entry, or as one entry of counts when it changed more than {@link #DETAILED_IMPORT_LIMIT}. */
    void imported(Optional<String> actor, ImportDiff<Domain, DomainRouting> domains, ImportDiff<Username, UserRouting> users,
                  Map<String, Object> summary) {
        Instant at = clock.instant();
        List<SettingsChange> changes = new ArrayList<>();
        if (domains.writes().size() + users.writes().size() > detailedImportLimit) {
            changes.add(new SettingsChange(at, actor, IMPORT, Kind.ALL, "*", Optional.empty(),
                Optional.of(SettingsJson.write(summary))));
        } else {
            domains.forEachWrite((domain, before, after) -> changes.add(new SettingsChange(at, actor, IMPORT, Kind.DOMAIN, domain.asString(),
                before.map(SettingsJson::of), after.map(SettingsJson::of))));
            users.forEachWrite((username, before, after) -> changes.add(new SettingsChange(at, actor, IMPORT, Kind.USER, username.asString(),
                before.map(SettingsJson::of), after.map(SettingsJson::of))));
        }
        write(changes);
    }

    private void write(List<SettingsChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        try {
            history.record(changes);
        } catch (RuntimeException e) {
            LOGGER.error("The split-routing history could not record {} change(s), made all the same: {}", changes.size(), changes, e);
        }
    }

    private Optional<String> domainJson(Domain domain) {
        return store.domainRouting(domain).map(SettingsJson::of);
    }

    private Optional<String> userJson(Username username) {
        return store.userRouting(username).map(SettingsJson::of);
    }
}
