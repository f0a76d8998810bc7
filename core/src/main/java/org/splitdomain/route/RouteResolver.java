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

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.rrt.api.RecipientRewriteTable;
import org.apache.james.rrt.api.RecipientRewriteTableException;
import org.apache.james.rrt.lib.Mapping;
import org.apache.james.rrt.lib.MappingSource;
import org.apache.james.rrt.lib.Mappings;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.SplitRoutingStore;
import org.splitdomain.settings.UserRouting;

import com.google.common.collect.ImmutableList;

/**
 * The one routing decision. The matchers, the relay mailet, the SMTP recipient check and the
 * WebAdmin explain route all ask this class; none of them applies a rule of its own.
 *
 * <ol>
 *     <li>{@link #thirdPartyRoute}: the address is a forwarded address of a third-party user.</li>
 *     <li>{@link #explain}: James's RecipientRewriteTable expands the address; every result goes
 *     through rule 1 again.</li>
 *     <li>{@link #unknownAddressRoute}: the address belongs to a local domain, resolves to nobody,
 *     and the domain forwards unknown addresses.</li>
 *     <li>Otherwise James's normal handling.</li>
 * </ol>
 */
@Singleton
public class RouteResolver {
    private final DomainList domainList;
    private final UsersRepository usersRepository;
    private final RecipientRewriteTable recipientRewriteTable;
    private final SplitRoutingStore store;
    private final UserAddresses userAddresses;
    private final JamesDirectory directory;

    @Inject
    public RouteResolver(DomainList domainList, UsersRepository usersRepository,
                         RecipientRewriteTable recipientRewriteTable, SplitRoutingStore store) {
        this.domainList = domainList;
        this.usersRepository = usersRepository;
        this.recipientRewriteTable = recipientRewriteTable;
        this.store = store;
        this.userAddresses = new UserAddresses(usersRepository, recipientRewriteTable);
        this.directory = new JamesDirectory(domainList, usersRepository);
    }

    /**
     * Rule 1, for the address as it stands: is it a forwarded address of a third-party user?
     * A decision without relay ({@link RouteRule#THIRD_PARTY_WITHOUT_RELAY}) means the user is flagged
     * but neither the address's domain nor the user's domain has a relay: the mail stays here.
     */
    public Optional<RouteDecision> thirdPartyRoute(MailAddress address) {
        return forwardingUser(address).map(owner -> thirdPartyDecision(address, owner));
    }

    /** The third-party user that has this address among its forwarded addresses, if any. */
    public Optional<Username> forwardingUser(MailAddress address) {
        // The user the address names first, then the users it is an alias of: James's
        // RecipientRewriteTable is only asked when the named user does not forward the address.
        Username named = directory.usernameOf(address);
        if (forwards(named, address)) {
            return Optional.of(named);
        }
        for (Username owner : aliasOwners(address)) {
            if (forwards(owner, address)) {
                return Optional.of(owner);
            }
        }
        return Optional.empty();
    }

    // Our settings first: most users have none, and asking James whether a user exists costs more.
    // Settings and aliases outlive a deleted user: only an existing user can be hosted elsewhere.
    private boolean forwards(Username owner, MailAddress address) {
        Optional<UserRouting> routing = store.userRouting(owner);
        return routing.isPresent() && routing.get().forwards(address) && directory.isExistingUser(owner);
    }

    /** Rule 3: an address of a local domain that resolves to nobody, in a domain that forwards unknown addresses. */
    public Optional<RouteDecision> unknownAddressRoute(MailAddress address) {
        Domain domain = address.getDomain();
        Optional<DomainRouting> routing = store.domainRouting(domain)
            .filter(DomainRouting::isForwardUnknown);
        if (routing.isEmpty() || !directory.isManagedDomain(domain) || isKnown(address)) {
            return Optional.empty();
        }
        return Optional.of(RouteDecision.relay(address, routing.get().getRelays(), RouteRule.FORWARD_UNKNOWN,
            "no user, alias or mapping for " + address.asString() + " and " + domain.asString() + " forwards unknown addresses"));
    }

    /** What the relay mailet delivers to: rule 1, else rule 3. */
    public Optional<RouteDecision> relayRoute(MailAddress address) {
        return thirdPartyRoute(address)
            .filter(RouteDecision::isRelay)
            .or(() -> unknownAddressRoute(address));
    }

    /**
     * The login guard's rule: a user is hosted elsewhere when the route decision relays every address of
     * the user (the address its username names and every alias pointing to it), mappings followed as for
     * mail. No mail of such a user can land here, so the user has nothing to do on this server. A user
     * whose flag has no relay, or who keeps some address here, is not hosted elsewhere.
     */
    public boolean isHostedElsewhere(Username username) {
        if (!directory.isExistingUser(username)) {
            return false;
        }
        for (MailAddress address : addressesOf(username)) {
            List<RouteDecision> decisions = explain(address).getDecisions();
            if (decisions.isEmpty() || !decisions.stream().allMatch(RouteDecision::isRelay)) {
                return false;
            }
        }
        return true;
    }

    private Set<MailAddress> addressesOf(Username username) {
        try {
            return userAddresses.of(username);
        } catch (UsersRepositoryException | RecipientRewriteTableException e) {
            throw new RouteResolutionException("Cannot list the addresses of " + username.asString(), e);
        }
    }

    /**
     * Whether James manages this domain: the one check of "a domain of ours" for routing, the SMTP edge and the settings.
     *
     * @throws RouteResolutionException when James's DomainList cannot answer
     */
    public boolean isManagedDomain(Domain domain) {
        return directory.isManagedDomain(domain);
    }

    /**
     * Whether James can turn this address into a user name at all: a quoted local part holding {@code @}
     * ({@code "a@b"@example.com}) it cannot, and no user, alias or third-party user can ever have it.
     */
    public boolean isUserNameForm(MailAddress address) {
        try {
            directory.usernameOf(address);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Every rule in order, mappings expanded: what would happen to mail for this recipient right now.
     *
     * <p>James's forwards of a third-party user do not apply here, as for mail sent to the user directly (rule 1
     * comes before any mapping): when James's forwards change where the mappings lead, the mappings are expanded
     * without forwards, and a reached address that is not a forwarded address of a third-party user then has its
     * forwards followed. So a group member hosted
     * elsewhere stays hosted elsewhere even when James forwards it to a local account, as a rename that failed
     * part-way leaves it.</p>
     */
    public RouteExplanation explain(MailAddress address) {
        Optional<RouteDecision> thirdParty = thirdPartyRoute(address);
        if (thirdParty.isPresent()) {
            return new RouteExplanation(address, ImmutableList.of(thirdParty.get()));
        }
        Mappings mappings;
        Mappings withoutForwards;
        try {
            mappings = resolvedMappings(address, ALL_MAPPINGS);
            if (mappings.isEmpty()) {
                return new RouteExplanation(address, ImmutableList.of(finalDecision(address)));
            }
            // Asked only of addresses that have mappings: most recipients, plain users, cost one lookup.
            withoutForwards = resolvedMappings(address, WITHOUT_FORWARDS);
        } catch (RecipientRewriteTable.ErrorMappingException e) {
            return new RouteExplanation(address, ImmutableList.of(mappingError(address, e)));
        }
        List<MailAddress> resolved = addressesOf(mappings);
        List<MailAddress> beforeForwards = addressesOf(withoutForwards);
        if (withoutForwards.isEmpty() || Set.copyOf(beforeForwards).equals(Set.copyOf(resolved))) {
            // No forward changed where the mappings lead: decide on what they resolve to.
            return new RouteExplanation(address, decisionsFor(address, resolved));
        }
        List<RouteDecision> decisions = beforeForwards.stream()
            .flatMap(reached -> thirdPartyRoute(reached)
                .map(decision -> List.of(decision.afterMapping(address)))
                .orElseGet(() -> decisionsAfterForwards(address, reached))
                .stream())
            .distinct()
            .collect(ImmutableList.toImmutableList());
        return new RouteExplanation(address, decisions);
    }

    private static final EnumSet<Mapping.Type> WITHOUT_FORWARDS = EnumSet.complementOf(EnumSet.of(Mapping.Type.Forward));
    private static final EnumSet<Mapping.Type> ALL_MAPPINGS = EnumSet.allOf(Mapping.Type.class);

    // What becomes of mail for the original address once it reached this one: its own mappings, forwards included.
    private List<RouteDecision> decisionsAfterForwards(MailAddress original, MailAddress reached) {
        Mappings mappings;
        try {
            mappings = resolvedMappings(reached, ALL_MAPPINGS);
        } catch (RecipientRewriteTable.ErrorMappingException e) {
            return List.of(mappingError(reached, e));
        }
        if (mappings.isEmpty()) {
            return List.of(finalDecision(reached));
        }
        return decisionsFor(original, addressesOf(mappings));
    }

    // Mappings that name no usable address give no decision: James's rrt-error processor handles that mail.
    private List<RouteDecision> decisionsFor(MailAddress original, List<MailAddress> resolved) {
        return resolved.stream()
            .map(address -> thirdPartyRoute(address)
                .map(decision -> decision.afterMapping(original))
                .orElseGet(() -> finalDecision(address)))
            .collect(ImmutableList.toImmutableList());
    }

    private static RouteDecision mappingError(MailAddress address, RecipientRewriteTable.ErrorMappingException e) {
        return RouteDecision.of(address, Route.REJECT, RouteRule.MAPPING_ERROR,
            "James's RecipientRewriteTable holds an error mapping for " + address.asString() + ": " + e.getMessage());
    }

    private List<MailAddress> addressesOf(Mappings mappings) {
        return mappings.asStream()
            .map(mapping -> mapping.appendDomainIfNone(this::defaultDomain))
            .map(Mapping::asMailAddress)
            .flatMap(Optional::stream)
            .distinct()
            .collect(ImmutableList.toImmutableList());
    }

    private RouteDecision finalDecision(MailAddress address) {
        if (!directory.isManagedDomain(address.getDomain())) {
            return RouteDecision.of(address, Route.REMOTE, RouteRule.REMOTE_DOMAIN,
                address.getDomain().asString() + " is not a domain of this server: James's own remote delivery applies");
        }
        if (isUser(address)) {
            return RouteDecision.of(address, Route.LOCAL, RouteRule.LOCAL_USER,
                address.asString() + " is a user of this server");
        }
        return unknownAddressRoute(address)
            .orElseGet(() -> RouteDecision.of(address, Route.REJECT, RouteRule.UNKNOWN_LOCAL,
                "no user, alias or mapping for " + address.asString() + " and " + address.getDomain().asString()
                    + " does not forward unknown addresses"));
    }

    private RouteDecision thirdPartyDecision(MailAddress address, Username owner) {
        Optional<List<RelayHost>> relays = relaysOf(address.getDomain())
            .or(() -> owner.getDomainPart().flatMap(this::relaysOf));
        return relays
            .map(hosts -> RouteDecision.relay(address, hosts, RouteRule.THIRD_PARTY,
                address.asString() + " is a forwarded address of third-party user " + owner.asString()))
            .orElseGet(() -> RouteDecision.of(address, Route.LOCAL, RouteRule.THIRD_PARTY_WITHOUT_RELAY,
                address.asString() + " is a forwarded address of third-party user " + owner.asString()
                    + " but neither its domain nor the user's has a relay: delivered here"));
    }

    // Settings left behind by a domain removed from the DomainList no longer apply.
    private Optional<List<RelayHost>> relaysOf(Domain domain) {
        return store.domainRouting(domain)
            .filter(routing -> directory.isManagedDomain(domain))
            .map(DomainRouting::getRelays);
    }

    /** The users this address is an alias of. */
    private List<Username> aliasOwners(MailAddress address) {
        try {
            List<Username> owners = new ArrayList<>(1);
            for (Mapping alias : recipientRewriteTable.getStoredMappings(MappingSource.fromMailAddress(address)).select(Mapping.Type.Alias)) {
                alias.asMailAddress().map(directory::usernameOf).ifPresent(owners::add);
            }
            return owners;
        } catch (RecipientRewriteTableException e) {
            throw new RouteResolutionException("Cannot find the owner of " + address.asString(), e);
        }
    }

    private boolean isKnown(MailAddress address) {
        if (isUser(address)) {
            return true;
        }
        try {
            return !resolvedMappings(address).isEmpty();
        } catch (RecipientRewriteTable.ErrorMappingException e) {
            // An error mapping is an explicit answer from the administrator, not an unknown address.
            return true;
        }
    }

    private Mappings resolvedMappings(MailAddress address) throws RecipientRewriteTable.ErrorMappingException {
        return resolvedMappings(address, ALL_MAPPINGS);
    }

    private Mappings resolvedMappings(MailAddress address, EnumSet<Mapping.Type> types) throws RecipientRewriteTable.ErrorMappingException {
        try {
            return recipientRewriteTable.getResolvedMappings(address.getLocalPart(), address.getDomain(), types);
        } catch (RecipientRewriteTableException | IllegalArgumentException e) {
            // IllegalArgumentException: a regex mapping that rewrites into an address James cannot build.
            throw new RouteResolutionException("Cannot resolve the mappings of " + address.asString(), e);
        }
    }

    private boolean isUser(MailAddress address) {
        return directory.isExistingUser(directory.usernameOf(address));
    }

    private Domain defaultDomain() {
        try {
            return domainList.getDefaultDomain();
        } catch (DomainListException e) {
            throw new RouteResolutionException("Cannot read the default domain", e);
        }
    }
}
