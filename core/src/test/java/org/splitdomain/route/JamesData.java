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

import org.apache.james.DefaultUserEntityValidator;
import org.apache.james.RecipientRewriteTableUserEntityValidator;
import org.apache.james.UserEntityValidator;
import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.dnsservice.api.InMemoryDNSService;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.domainlist.memory.MemoryDomainList;
import org.apache.james.rrt.api.RecipientRewriteTableConfiguration;
import org.apache.james.rrt.lib.MappingSource;
import org.apache.james.rrt.memory.MemoryRecipientRewriteTable;
import org.apache.james.user.memory.MemoryUsersRepository;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.MemorySplitRoutingStore;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.UserRouting;

import com.google.common.collect.ImmutableList;

/**
 * James's memory backends wired as in a memory James server, with a split-routing store and the
 * route decision on top. Shared by the tests of every module through the core test-jar.
 */
public final class JamesData {
    public static final Domain EXAMPLE_COM = Domain.of("example.com");
    public static final RelayHost PARTNER = RelayHost.parse("partner.example.net:2525");

    public final MemoryDomainList domainList;
    public final MemoryUsersRepository usersRepository;
    public final MemoryRecipientRewriteTable recipientRewriteTable;
    public final MemorySplitRoutingStore store;
    public final RouteResolver routeResolver;

    public JamesData() throws Exception {
        domainList = new MemoryDomainList(new InMemoryDNSService());
        domainList.configure(DomainListConfiguration.builder()
            .autoDetect(false)
            .autoDetectIp(false)
            .build());
        usersRepository = MemoryUsersRepository.withVirtualHosting(domainList);
        recipientRewriteTable = new MemoryRecipientRewriteTable();
        recipientRewriteTable.setDomainList(domainList);
        recipientRewriteTable.setConfiguration(RecipientRewriteTableConfiguration.DEFAULT_ENABLED);
        recipientRewriteTable.setUsersRepository(usersRepository);
        recipientRewriteTable.setUserEntityValidator(UserEntityValidator.aggregate(
            new DefaultUserEntityValidator(usersRepository),
            new RecipientRewriteTableUserEntityValidator(recipientRewriteTable)));
        store = new MemorySplitRoutingStore();
        routeResolver = new RouteResolver(domainList, usersRepository, recipientRewriteTable, store);
    }

    public JamesData domain(String name) throws Exception {
        domainList.addDomain(Domain.of(name));
        return this;
    }

    public JamesData user(String username) throws Exception {
        usersRepository.addUser(Username.of(username), "secret");
        return this;
    }

    public JamesData alias(String alias, String username) throws Exception {
        String[] parts = alias.split("@");
        recipientRewriteTable.addAliasMapping(MappingSource.fromUser(parts[0], parts[1]), username);
        return this;
    }

    public JamesData groupMember(String group, String member) throws Exception {
        String[] parts = group.split("@");
        recipientRewriteTable.addGroupMapping(MappingSource.fromUser(parts[0], parts[1]), member);
        return this;
    }

    public JamesData relays(String domain, boolean forwardUnknown, RelayHost... relays) {
        store.storeDomainRouting(Domain.of(domain), DomainRouting.of(ImmutableList.copyOf(relays), forwardUnknown));
        return this;
    }

    public JamesData thirdParty(String username) {
        store.storeUserRouting(Username.of(username), UserRouting.thirdPartyForAllAddresses());
        return this;
    }

    public JamesData thirdParty(String username, org.apache.james.core.MailAddress... forwarded) {
        store.storeUserRouting(Username.of(username), UserRouting.thirdParty(ImmutableList.copyOf(forwarded)));
        return this;
    }
}
