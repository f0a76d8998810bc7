package org.splitdomain.webadmin;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.webadmin.authentication.AuthenticationFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.SplitRoutingStore;
import org.splitdomain.settings.UserRouting;
import org.splitdomain.settings.history.SettingsChange;
import org.splitdomain.settings.history.SettingsChange.Kind;
import org.splitdomain.settings.history.SettingsHistory;

import com.google.common.collect.ImmutableMap;

import spark.Request;

/**
 * Records every change of split-routing settings in the {@link SettingsHistory}: who made it (the WebAdmin
 * login, when authentication is on), through what, and the settings before and after as the routes show them.
 * A write that changes nothing records nothing.
 *
 * <p>The history is written after the settings: when it cannot be written (its database is down), the change
 * stands, and an ERROR log holds what the history lacks.</p>
 */
public class SettingsAudit {
    public static final String WEBADMIN = "webadmin";
    public static final String IMPORT = "import";
    public static final String USER_DELETED = "user-deleted";
    public static final String USER_RENAMED = "user-renamed";
    public static final String DOMAIN_DELETED = "domain-deleted";
    /** Beyond this many changed entries, an import is recorded as one entry of counts instead of entry by entry. */
    public static final int DETAILED_IMPORT_LIMIT = 10_000;
    private static final Logger LOGGER = LoggerFactory.getLogger(SettingsAudit.class);

    /** A settings write the audit runs between reading the settings before and after it. */
    @FunctionalInterface
    public interface Write {
        void run() throws Exception;
    }

    private final SplitRoutingStore store;
    private final SettingsHistory history;
    private final Clock clock;
    private final int detailedImportLimit;

    @Inject
    public SettingsAudit(SplitRoutingStore store, SettingsHistory history) {
        this(store, history, Clock.systemUTC(), DETAILED_IMPORT_LIMIT);
    }

    SettingsAudit(SplitRoutingStore store, SettingsHistory history, Clock clock, int detailedImportLimit) {
        this.store = store;
        this.history = history;
        this.clock = clock;
        this.detailedImportLimit = detailedImportLimit;
    }

    /** Who sent the request, when WebAdmin authenticates requests: the subject of its token. */
    public static Optional<String> actor(Request request) {
        return Optional.ofNullable(request.attribute(AuthenticationFilter.LOGIN)).map(Object::toString);
    }

    public void domain(Optional<String> actor, String source, Domain domain, Write write) throws Exception {
        Optional<String> before = domainJson(domain);
        write.run();
        record(ImmutableMap.of(domain.asString(), before), actor, source, Kind.DOMAIN, ignored -> domainJson(domain));
    }

    public void users(Optional<String> actor, String source, Collection<Username> usernames, Write write) throws Exception {
        Map<String, Optional<String>> before = new LinkedHashMap<>();
        usernames.forEach(username -> before.put(username.asString(), userJson(username)));
        write.run();
        record(before, actor, source, Kind.USER, username -> userJson(Username.of(username)));
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

    private void record(Map<String, Optional<String>> before, Optional<String> actor, String source, Kind kind,
                        Function<String, Optional<String>> after) {
        Instant at = clock.instant();
        List<SettingsChange> changes = new ArrayList<>();
        before.forEach((subject, was) -> {
            Optional<String> now = after.apply(subject);
            if (!now.equals(was)) {
                changes.add(new SettingsChange(at, actor, source, kind, subject, was, now));
            }
        });
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
