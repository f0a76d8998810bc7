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

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.rrt.api.RecipientRewriteTableException;
import org.apache.james.user.api.UsersRepositoryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.route.JamesDirectory;
import org.splitdomain.route.RouteResolutionException;
import org.splitdomain.route.UserAddresses;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayCredentials;
import org.splitdomain.settings.SplitRoutingStore;
import org.splitdomain.settings.UserRouting;
import org.splitdomain.settings.UserRoutingRenamer;
import org.splitdomain.settings.service.ImportDiff.Change;

import com.google.common.collect.ImmutableList;

/**
 * The one way split-routing settings change: WebAdmin's routes, its filters that follow James's own user and domain
 * management, and the import all come here. Each write checks the settings against James (the domain is managed, the
 * user exists, the forwarded addresses are the user's, the credentials are defined), writes the store, records the
 * change in the history, logs it and returns what {@link SettingsWarnings} warns of. The settings of domains James
 * no longer manages, and of users it no longer has, can still be read by routing (which ignores them) and removed.
 *
 * <p>Refusals are {@link SettingsException}s whose message an operator reads as it is: {@link NotFoundException},
 * {@link InvalidSettingsException} naming the field, {@link SettingsBackendException} when James could not answer.
 * Nothing is written then. A store that fails throws its own exception, after which nothing of the write is
 * visible either.</p>
 */
public class SettingsService {
    private static final Logger LOGGER = LoggerFactory.getLogger(SettingsService.class);

    private final SplitRoutingStore store;
    private final JamesDirectory directory;
    private final UserAddresses userAddresses;
    private final UserRoutingReader userRoutingReader;
    private final RelayCredentials credentials;
    private final SettingsWarnings warnings;
    private final SettingsAudit audit;
    private final UserRoutingRenamer renamer;

    @Inject
    public SettingsService(SplitRoutingStore store, JamesDirectory directory, UserAddresses userAddresses, RelayCredentials credentials,
                           SettingsWarnings warnings, SettingsAudit audit, UserRoutingRenamer renamer) {
        this.store = store;
        this.directory = directory;
        this.userAddresses = userAddresses;
        this.userRoutingReader = new UserRoutingReader(userAddresses);
        this.credentials = credentials;
        this.warnings = warnings;
        this.audit = audit;
        this.renamer = renamer;
    }

    /** @throws NotFoundException when James does not manage the domain */
    public void checkManagedDomain(Domain domain) {
        if (!isManagedDomain(domain)) {
            throw new NotFoundException("Domain '" + domain.asString() + "' is not managed by this James server");
        }
    }

    /** @throws NotFoundException when James has no such user (an alias is no user) */
    public void checkExistingUser(Username username) {
        if (!isExistingUser(username)) {
            throw new NotFoundException("User '" + username.asString() + "' does not exist");
        }
    }

    public boolean isExistingUser(Username username) {
        try {
            return directory.isExistingUser(username);
        } catch (RouteResolutionException e) {
            throw new SettingsBackendException(e.getMessage(), e.getCause());
        }
    }

    private boolean isManagedDomain(Domain domain) {
        try {
            return directory.isManagedDomain(domain);
        } catch (RouteResolutionException e) {
            throw new SettingsBackendException(e.getMessage(), e.getCause());
        }
    }

    /** The settings of a domain James manages; empty when it has none. */
    public Optional<DomainRouting> domainSettings(Domain domain) {
        checkManagedDomain(domain);
        return store.domainRouting(domain);
    }

    /** The settings of a user James has; empty when it has none. */
    public Optional<UserRouting> userSettings(Username username) {
        checkExistingUser(username);
        return store.userRouting(username);
    }

    /** Every domain's settings, by domain name. */
    public List<Map.Entry<Domain, DomainRouting>> domainsByName() {
        return byName(store.listDomainRoutings(), Domain::asString);
    }

    /** Every user's settings, by username. */
    public List<Map.Entry<Username, UserRouting>> usersByName() {
        return byName(store.listUserRoutings(), Username::asString);
    }

    private static <K, V> List<Map.Entry<K, V>> byName(Map<K, V> settings, Function<K, String> name) {
        return settings.entrySet().stream()
            .sorted(Map.Entry.comparingByKey(Comparator.comparing(name)))
            .collect(ImmutableList.toImmutableList());
    }

    /** The addresses these settings forward: the chosen ones, or every address the user has in James now. */
    public Set<MailAddress> forwardedAddresses(Username username, UserRouting routing) {
        try {
            return userAddresses.forwarded(username, routing);
        } catch (UsersRepositoryException | RecipientRewriteTableException e) {
            throw cannotReadAddresses(username, e);
        }
    }

    /** The aliases these settings relay as they are, not rewritten to the user's address: the other system must know them. */
    public Set<MailAddress> aliasesRelayedUnchanged(Username username, UserRouting routing) {
        try {
            return userAddresses.aliasesRelayedUnchanged(username, routing);
        } catch (UsersRepositoryException | RecipientRewriteTableException e) {
            throw cannotReadAddresses(username, e);
        }
    }

    private static SettingsBackendException cannotReadAddresses(Username username, Exception cause) {
        return new SettingsBackendException("Cannot read the addresses of user " + username.asString(), cause);
    }

    /** Sets a domain's settings; returns what will go wrong with them. */
    public List<String> setDomain(Optional<String> actor, Domain domain, RequestedDomainRouting requested) {
        checkManagedDomain(domain);
        DomainRouting routing;
        try {
            routing = read(requested);
        } catch (IllegalArgumentException e) {
            throw InvalidSettingsException.ofDomain(domain, e);
        }
        SettingsAudit.Before before = audit.domain(domain);
        store.storeDomainRouting(domain, routing);
        audit.record(before, actor, SettingsAudit.WEBADMIN);
        return logged(domain.asString(), SettingsJson.of(routing), warnings.ofDomain(routing));
    }

    /** Removes a domain's settings; those of a domain James no longer manages too. */
    public void deleteDomain(Optional<String> actor, Domain domain) {
        if (store.domainRouting(domain).isEmpty()) {
            checkManagedDomain(domain);
        }
        removeDomain(actor, domain, SettingsAudit.WEBADMIN);
        LOGGER.info("Split routing of {} removed", domain.asString());
    }

    /** Sets a user's settings; returns what will go wrong with them. */
    public List<String> setUser(Optional<String> actor, Username username, RequestedUserRouting requested) {
        checkExistingUser(username);
        UserRouting routing;
        try {
            routing = readUserRouting(username, requested);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException(e.getMessage(), e);
        }
        SettingsAudit.Before before = audit.users(List.of(username));
        store.storeUserRouting(username, routing);
        audit.record(before, actor, SettingsAudit.WEBADMIN);
        return logged("user " + username.asString(), SettingsJson.of(routing),
            warnings.ofUser(username, routing, domain -> store.domainRouting(domain).isPresent()));
    }

    // The settings as a request would set them, so that an operator can paste the line back.
    private static List<String> logged(String subject, String settings, List<String> found) {
        LOGGER.info("Split routing of {} set to {}", subject, settings);
        found.forEach(warning -> LOGGER.warn("Split routing of {}: {}", subject, warning));
        return found;
    }

    /** Removes a user's settings; those of a user James no longer has too. */
    public void deleteUser(Optional<String> actor, Username username) {
        if (store.userRouting(username).isEmpty()) {
            checkExistingUser(username);
        }
        removeUser(actor, username, SettingsAudit.WEBADMIN);
        LOGGER.info("Split routing of user {} removed", username.asString());
    }

    /** James deleted the user: its settings go, so that a user created later under its name does not inherit them. */
    public void userDeleted(Optional<String> actor, Username username) {
        removeUser(actor, username, SettingsAudit.USER_DELETED);
        LOGGER.info("User {} deleted: its split-routing settings are removed", username.asString());
    }

    /** James removed the domain: its settings go, so that a domain added later under its name does not inherit them. */
    public void domainDeleted(Optional<String> actor, Domain domain) {
        removeDomain(actor, domain, SettingsAudit.DOMAIN_DELETED);
        LOGGER.info("Domain {} removed: its split-routing settings are removed", domain.asString());
    }

    private void removeDomain(Optional<String> actor, Domain domain, String source) {
        SettingsAudit.Before before = audit.domain(domain);
        store.deleteDomainRouting(domain);
        audit.record(before, actor, source);
    }

    private void removeUser(Optional<String> actor, Username username, String source) {
        SettingsAudit.Before before = audit.users(List.of(username));
        store.deleteUserRouting(username);
        audit.record(before, actor, source);
    }

    /**
     * James is about to rename a user: the new name gets a copy of the old name's settings, so that a user hosted
     * elsewhere is hosted elsewhere under both names at every moment of the move. Returns whether a copy was made,
     * which {@link #renameDone} and {@link #renameAbandoned} are then told.
     */
    public boolean renameStarting(Optional<String> actor, Username oldUsername, Username newUsername) {
        SettingsAudit.Before before = audit.users(List.of(newUsername));
        boolean copied;
        try {
            copied = renamer.copyAhead(oldUsername, newUsername);
        } catch (UsersRepositoryException e) {
            throw cannotReadAddresses(oldUsername, e);
        }
        audit.record(before, actor, SettingsAudit.USER_RENAMED);
        return copied;
    }

    /** James did not rename the user: a copy made ahead of it is dropped, the settings stay with the old name. */
    public void renameAbandoned(Optional<String> actor, Username oldUsername, Username newUsername) {
        SettingsAudit.Before before = audit.users(List.of(newUsername));
        renamer.dropCopy(oldUsername, newUsername);
        audit.record(before, actor, SettingsAudit.USER_RENAMED);
    }

    /** James renamed the user: its settings are moved to the new name (see {@link UserRoutingRenamer#rename}). */
    public void renameDone(Optional<String> actor, Username oldUsername, Username newUsername, boolean copiedAhead) {
        SettingsAudit.Before before = audit.users(List.of(oldUsername, newUsername));
        if (copiedAhead) {
            renamer.completeCopy(oldUsername, newUsername);
        } else {
            try {
                renamer.rename(oldUsername, newUsername);
            } catch (UsersRepositoryException e) {
                throw cannotReadAddresses(oldUsername, e);
            }
        }
        audit.record(before, actor, SettingsAudit.USER_RENAMED);
    }

    /**
     * Imports settings of many domains and users. Every entry is checked before any is written: bad entries make one
     * {@link InvalidSettingsException} naming each of them, and nothing is written. Entries that change nothing are
     * not written; in {@link SettingsImport.Mode#REPLACE} mode, settings the document does not mention are removed. A
     * dry run writes nothing and reports, entry by entry, what the import would change.
     */
    public ImportReport importSettings(Optional<String> actor, SettingsImport settings) {
        List<String> errors = new ArrayList<>();
        Map<Domain, DomainRouting> domains = checkedDomains(settings.getDomains(), errors);
        Map<Username, UserRouting> users = checkedUsers(settings.getUsers(), errors);
        if (!errors.isEmpty()) {
            throw new InvalidSettingsException(errors.size() == 1 ? errors.get(0)
                : errors.size() + " entries are invalid, nothing was written: " + String.join("; ", errors), null);
        }

        boolean replace = settings.getMode() == SettingsImport.Mode.REPLACE;
        Map<Domain, DomainRouting> currentDomains = store.listDomainRoutings();
        ImportDiff<Domain, DomainRouting> domainDiff = new ImportDiff<>(domains, currentDomains, replace, "domain",
            Domain::asString, SettingsJson::body);
        ImportDiff<Username, UserRouting> userDiff = new ImportDiff<>(users, store.listUserRoutings(), replace, "username",
            Username::asString, SettingsJson::body);
        List<String> found = warnings.ofImport(domains, users, relaysOnceWritten(currentDomains, domainDiff)::contains);
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        for (Change change : Change.values()) {
            counts.put(change.asJson(), ImportDiff.counts(domainDiff, userDiff, change));
        }
        if (settings.isDryRun()) {
            List<Map<String, Object>> diff = new ArrayList<>(domainDiff.entries());
            diff.addAll(userDiff.entries());
            return new ImportReport(domains.size(), users.size(), settings.getMode(), true, counts, found, Optional.of(diff));
        }
        store.applyAll(domainDiff.writes(), userDiff.writes());
        String mode = settings.getMode().asString();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("mode", mode);
        summary.putAll(counts);
        audit.imported(actor, domainDiff, userDiff, summary);
        LOGGER.info("Imported split-routing settings ({} mode) of {} domains and {} users: added {}, changed {}, removed {}",
            mode, domains.size(), users.size(), counts.get(Change.ADDED.asJson()), counts.get(Change.CHANGED.asJson()),
            counts.get(Change.REMOVED.asJson()));
        found.forEach(warning -> LOGGER.warn("Split-routing import: {}", warning));
        return new ImportReport(domains.size(), users.size(), settings.getMode(), false, counts, found, Optional.empty());
    }

    // The domains that have relays once the import is written: those it keeps, and those it adds.
    private static Set<Domain> relaysOnceWritten(Map<Domain, DomainRouting> current, ImportDiff<Domain, DomainRouting> diff) {
        Set<Domain> withRelays = new HashSet<>(current.keySet());
        diff.writes().forEach((domain, routing) -> {
            if (routing.isPresent()) {
                withRelays.add(domain);
            } else {
                withRelays.remove(domain);
            }
        });
        return withRelays;
    }

    private Map<Domain, DomainRouting> checkedDomains(List<SettingsImport.DomainEntry> entries, List<String> errors) {
        Map<Domain, DomainRouting> domains = new LinkedHashMap<>();
        for (int index = 0; index < entries.size(); index++) {
            SettingsImport.DomainEntry entry = entries.get(index);
            String where = "domains[" + index + "]";
            if (entry == null || entry.getDomain() == null) {
                errors.add(where + ": 'domain' is mandatory");
                continue;
            }
            String named = where + " '" + entry.getDomain() + "'";
            Optional<Domain> domain = parse(named, () -> Domain.of(entry.getDomain()), errors);
            if (domain.isEmpty()) {
                continue;
            }
            if (!isManagedDomain(domain.get())) {
                errors.add(named + ": domain is not managed by this James server");
                continue;
            }
            Optional<DomainRouting> routing = parse(named, () -> read(entry.routing()), errors);
            if (routing.isPresent() && domains.put(domain.get(), routing.get()) != null) {
                errors.add(named + ": domain is listed twice");
            }
        }
        return domains;
    }

    private Map<Username, UserRouting> checkedUsers(List<SettingsImport.UserEntry> entries, List<String> errors) {
        Map<Username, UserRouting> users = new LinkedHashMap<>();
        Set<Username> seen = new HashSet<>();
        for (int index = 0; index < entries.size(); index++) {
            SettingsImport.UserEntry entry = entries.get(index);
            String where = "users[" + index + "]";
            if (entry == null || entry.getUsername() == null) {
                errors.add(where + ": 'username' is mandatory");
                continue;
            }
            String named = where + " '" + entry.getUsername() + "'";
            Optional<Username> username = parse(named, () -> Username.of(entry.getUsername()), errors);
            if (username.isEmpty()) {
                continue;
            }
            if (!seen.add(username.get())) {
                errors.add(named + ": user is listed twice");
                continue;
            }
            if (!isExistingUser(username.get())) {
                errors.add(named + ": user does not exist");
                continue;
            }
            parse(named, () -> readUserRouting(username.get(), entry.routing()), errors)
                .ifPresent(routing -> users.put(username.get(), routing));
        }
        return users;
    }

    // Credentials are checked against the file now: a typo is caught when it is made, not at the first delivery.
    private DomainRouting read(RequestedDomainRouting requested) {
        return credentials.checkDefined(requested.toDomainRouting());
    }

    private UserRouting readUserRouting(Username username, RequestedUserRouting requested) {
        try {
            return userRoutingReader.read(username, requested);
        } catch (UsersRepositoryException | RecipientRewriteTableException e) {
            throw cannotReadAddresses(username, e);
        }
    }

    private static <T> Optional<T> parse(String where, Supplier<T> parser, List<String> errors) {
        try {
            return Optional.of(parser.get());
        } catch (IllegalArgumentException e) {
            errors.add(where + ": " + e.getMessage());
            return Optional.empty();
        }
    }
}
