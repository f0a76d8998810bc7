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

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.rrt.api.RecipientRewriteTable;
import org.apache.james.rrt.api.RecipientRewriteTableException;
import org.apache.james.rrt.lib.Mapping;
import org.apache.james.rrt.lib.MappingSource;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.splitdomain.settings.UserRouting;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;

/**
 * The addresses of a user as James knows them: the address its username names, and every alias
 * pointing to it. These are the addresses an administrator may pick as forwarded addresses.
 */
public class UserAddresses {
    private final UsersRepository usersRepository;
    private final RecipientRewriteTable recipientRewriteTable;

    @Inject
    public UserAddresses(UsersRepository usersRepository, RecipientRewriteTable recipientRewriteTable) {
        this.usersRepository = usersRepository;
        this.recipientRewriteTable = recipientRewriteTable;
    }

    public ImmutableSet<MailAddress> of(Username username) throws UsersRepositoryException, RecipientRewriteTableException {
        ImmutableSet.Builder<MailAddress> addresses = ImmutableSet.builder();
        addresses.add(usersRepository.getMailAddressFor(username));
        recipientRewriteTable.listSources(Mapping.alias(username.asString()))
            .map(MappingSource::asMailAddress)
            .flatMap(Optional::stream)
            .forEach(addresses::add);
        return addresses.build();
    }

    /**
     * The aliases of a third-party user that forwards all its addresses: they reach the relay as they are, not
     * rewritten to the user's address, so the other system must know each of them as well.
     */
    public ImmutableSet<MailAddress> aliasesRelayedUnchanged(Username username, UserRouting routing)
            throws UsersRepositoryException, RecipientRewriteTableException {
        if (!routing.isThirdParty() || !routing.forwardsAllAddresses()) {
            return ImmutableSet.of();
        }
        MailAddress own = usersRepository.getMailAddressFor(username);
        return of(username).stream()
            .filter(address -> !address.equals(own))
            .collect(ImmutableSet.toImmutableSet());
    }

    /**
     * {@link #aliasesRelayedUnchanged(Username, UserRouting)} of many users at once, read in one pass over James's
     * mappings rather than one lookup per user: what an import of a million users can afford. Users without such an
     * alias are left out.
     */
    public Map<Username, Set<MailAddress>> aliasesRelayedUnchanged(Map<Username, UserRouting> routings) throws RecipientRewriteTableException {
        Set<String> forwardingAll = routings.entrySet().stream()
            .filter(routing -> routing.getValue().isThirdParty() && routing.getValue().forwardsAllAddresses())
            .map(routing -> routing.getKey().asString())
            .collect(ImmutableSet.toImmutableSet());
        if (forwardingAll.isEmpty()) {
            return ImmutableMap.of();
        }
        Map<Username, Set<MailAddress>> aliases = new HashMap<>();
        recipientRewriteTable.getAllMappings().forEach((source, mappings) -> source.asMailAddress().ifPresent(alias ->
            mappings.asStream()
                .filter(mapping -> mapping.getType() == Mapping.Type.Alias && forwardingAll.contains(mapping.getMappingValue()))
                .forEach(mapping -> aliases.computeIfAbsent(Username.of(mapping.getMappingValue()), owner -> new TreeSet<>(
                    Comparator.comparing(MailAddress::asString))).add(alias))));
        return aliases;
    }

    /** The addresses actually forwarded for these settings: the chosen subset, or all of them. */
    public ImmutableSet<MailAddress> forwarded(Username username, UserRouting routing) throws UsersRepositoryException, RecipientRewriteTableException {
        if (!routing.isThirdParty()) {
            return ImmutableSet.of();
        }
        if (routing.forwardsAllAddresses()) {
            return of(username);
        }
        return routing.getForwardedAddresses().orElseThrow();
    }
}
