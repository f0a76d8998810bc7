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

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.rrt.api.RecipientRewriteTableException;
import org.apache.james.user.api.UsersRepositoryException;
import org.splitdomain.route.RouteDecision;
import org.splitdomain.route.RouteExplanation;
import org.splitdomain.route.RouteResolutionException;
import org.splitdomain.route.RouteResolver;
import org.splitdomain.route.RouteRule;
import org.splitdomain.route.UserAddresses;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.SplitRoutingStore;
import org.splitdomain.settings.UserRouting;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;

/**
 * What will go wrong with the settings, in the same words wherever it is said: in the answer of every write (single
 * routes and imports), in the route explanation, at start-up and in James's health checks.
 * <ul>
 *     <li>a relay that is this very server (every mail relayed there comes straight back);</li>
 *     <li>a third-party user whose domain has no relay (its mail stays here);</li>
 *     <li>an alias of a user that forwards all addresses: it reaches the other system unchanged, which must know it;</li>
 *     <li>a domain that relays recipients it did not verify at RCPT (they bounce later, to a sender that may be forged).</li>
 * </ul>
 */
public class SettingsWarnings {
    private final OwnSmtpEndpoints ownSmtpEndpoints;
    private final UserAddresses userAddresses;
    private final RouteResolver routeResolver;
    private final SplitRoutingStore store;

    @Inject
    public SettingsWarnings(OwnSmtpEndpoints ownSmtpEndpoints, UserAddresses userAddresses, RouteResolver routeResolver,
                            SplitRoutingStore store) {
        this.ownSmtpEndpoints = ownSmtpEndpoints;
        this.userAddresses = userAddresses;
        this.routeResolver = routeResolver;
        this.store = store;
    }

    public static String ownRelay(RelayHost relay) {
        return "relay " + relay.asString() + " is this server's own SMTP endpoint: mail relayed there comes straight back";
    }

    public static String aliasRelayedUnchanged(MailAddress alias, Username owner) {
        return alias.asString() + " is relayed unchanged: it is an alias of third-party user " + owner.asString()
            + ", who forwards all addresses, so the other system must know " + alias.asString() + " too. Create it there, or "
            + "forward only the addresses it knows (\"forwardedAddresses\": [\"" + owner.asString() + "\"]): "
            + alias.asString() + " is then rewritten to " + owner.asString() + " before it is relayed";
    }

    public static String withoutRelay(Domain domain) {
        return "hosted on the other system, but domain '" + domain.asString() + "' has no split-routing relays: its mail stays here";
    }

    public static String withoutRecipientVerification(Domain domain, DomainRouting routing) {
        String relayed = routing.isForwardUnknown()
            ? "forwards unknown addresses without verifying them at RCPT: an address nobody hosts is accepted, then bounced"
            : "relays its third-party users' addresses without verifying them at RCPT: one the relay does not host is accepted, then bounced";
        return domain.asString() + " " + relayed + " to its sender, who may be forged; set \"verifyRecipients\": true";
    }

    /** The relays among these that are this server. */
    public List<String> ofRelays(Collection<RelayHost> relays) {
        return relays.stream()
            .filter(ownSmtpEndpoints::isOwn)
            .map(SettingsWarnings::ownRelay)
            .collect(ImmutableList.toImmutableList());
    }

    /** The relays of the domain that are this server. */
    public List<String> ofDomain(DomainRouting routing) {
        return ofRelays(routing.getRelays());
    }

    /** A third-party user whose domain has no relay, or whose aliases will be relayed unchanged. */
    public List<String> ofUser(Username username, UserRouting routing, Predicate<Domain> hasRelays) {
        return ofUser(username, routing, hasRelays, () -> aliasesRelayedUnchanged(username, routing));
    }

    /**
     * An import's: {@link #ofDomain} of every domain and {@link #ofUser} of every user the document names, changed or
     * not (running it again warns again), each led by the entry it is about; James's mappings are read once.
     *
     * @param hasRelays whether a domain has relays once the import is written
     */
    public List<String> ofImport(Map<Domain, DomainRouting> domains, Map<Username, UserRouting> users, Predicate<Domain> hasRelays) {
        Map<Username, Set<MailAddress>> aliases;
        try {
            aliases = userAddresses.aliasesRelayedUnchanged(users);
        } catch (RecipientRewriteTableException e) {
            throw new RouteResolutionException("Cannot read James's mappings", e);
        }
        Stream<String> ofDomains = domains.entrySet().stream()
            .flatMap(routing -> ofDomain(routing.getValue()).stream()
                .map(warning -> "domain '" + routing.getKey().asString() + "': " + warning));
        Stream<String> ofUsers = users.entrySet().stream()
            .flatMap(routing -> ofUser(routing.getKey(), routing.getValue(), hasRelays,
                    () -> aliases.getOrDefault(routing.getKey(), ImmutableSet.of())).stream()
                .map(warning -> "user '" + routing.getKey().asString() + "': " + warning));
        return Stream.concat(ofDomains, ofUsers).collect(ImmutableList.toImmutableList());
    }

    /**
     * What the route explanation of an address warns of: a third-party user without relay, an alias relayed unchanged,
     * a relay that is this server.
     */
    public List<String> ofExplanation(RouteExplanation explanation) {
        List<RouteDecision> decisions = explanation.getDecisions();
        return Stream.of(
                decisions.stream()
                    .filter(decision -> decision.getRule() == RouteRule.THIRD_PARTY_WITHOUT_RELAY)
                    .map(RouteDecision::getReason),
                decisions.stream()
                    .flatMap(decision -> aliasRelayedUnchanged(decision).stream()),
                ofRelays(decisions.stream()
                    .flatMap(decision -> decision.getRelays().stream())
                    .distinct()
                    .collect(ImmutableList.toImmutableList())).stream())
            .flatMap(warning -> warning)
            .collect(ImmutableList.toImmutableList());
    }

    /** One line per relay of these domains that is this server: what the start-up check logs and the health check reports. */
    public List<String> ownRelays(Map<Domain, DomainRouting> routings) {
        return routings.entrySet().stream()
            .flatMap(routing -> ofDomain(routing.getValue()).stream()
                .map(warning -> "Split routing of " + routing.getKey().asString() + ": " + warning))
            .collect(ImmutableList.toImmutableList());
    }

    /** {@link #withoutRecipientVerification} of each of these domains that does not verify recipients, by domain name. */
    public static List<String> withoutRecipientVerification(Map<Domain, DomainRouting> routings) {
        return routings.entrySet().stream()
            .filter(routing -> !routing.getValue().isVerifyRecipients())
            .sorted(Map.Entry.comparingByKey(Comparator.comparing(Domain::asString)))
            .map(routing -> withoutRecipientVerification(routing.getKey(), routing.getValue()))
            .collect(ImmutableList.toImmutableList());
    }

    // The aliases are asked for only when the user's mail will be relayed: they cost a lookup of James's mappings.
    private static List<String> ofUser(Username username, UserRouting routing, Predicate<Domain> hasRelays,
                                       Supplier<Set<MailAddress>> aliasesRelayedUnchanged) {
        if (!routing.isThirdParty()) {
            return ImmutableList.of();
        }
        return username.getDomainPart()
            .map(domain -> hasRelays.test(domain)
                ? relayedUnchanged(username, aliasesRelayedUnchanged.get())
                : ImmutableList.of(withoutRelay(domain)))
            .orElse(ImmutableList.of());
    }

    private static List<String> relayedUnchanged(Username owner, Collection<MailAddress> aliases) {
        return aliases.stream()
            .map(alias -> aliasRelayedUnchanged(alias, owner))
            .collect(ImmutableList.toImmutableList());
    }

    // Such an alias reaches the other system as it is: the warning a partner's 5.4.6 or 5.1.1 bounce would otherwise be the first sign of.
    private Optional<String> aliasRelayedUnchanged(RouteDecision decision) {
        if (decision.getRule() != RouteRule.THIRD_PARTY && decision.getRule() != RouteRule.THIRD_PARTY_AFTER_MAPPING) {
            return Optional.empty();
        }
        MailAddress alias = decision.getAddress();
        return routeResolver.forwardingUser(alias)
            .filter(owner -> store.userRouting(owner)
                .map(routing -> aliasesRelayedUnchanged(owner, routing).contains(alias))
                .orElse(false))
            .map(owner -> aliasRelayedUnchanged(alias, owner));
    }

    private Set<MailAddress> aliasesRelayedUnchanged(Username owner, UserRouting routing) {
        try {
            return userAddresses.aliasesRelayedUnchanged(owner, routing);
        } catch (UsersRepositoryException | RecipientRewriteTableException e) {
            throw new RouteResolutionException("Cannot read the addresses of user " + owner.asString(), e);
        }
    }
}
