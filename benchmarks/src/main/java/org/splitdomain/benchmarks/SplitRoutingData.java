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
package org.splitdomain.benchmarks;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.james.UserEntityValidator;
import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.dnsservice.api.InMemoryDNSService;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.domainlist.memory.MemoryDomainList;
import org.apache.james.rrt.api.RecipientRewriteTableConfiguration;
import org.apache.james.rrt.lib.MappingSource;
import org.apache.james.user.memory.MemoryUsersRepository;
import org.splitdomain.route.RouteResolver;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.MemorySplitRoutingStore;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.UserRouting;

import com.google.common.collect.ImmutableList;

/**
 * A split domain of {@code users} users on James's memory backends: each user has 1 to 3 addresses
 * (its username and up to two aliases), every tenth user is third-party, and the domain has a relay.
 * The recipients mix known users, aliases, third-party users and unknown addresses.
 */
public final class SplitRoutingData {
    public static final Domain DOMAIN = Domain.of("example.com");

    public final MemoryDomainList domainList;
    public final MemoryUsersRepository usersRepository;
    public final IndexedRecipientRewriteTable recipientRewriteTable;
    public final MemorySplitRoutingStore store;
    public final RouteResolver routeResolver;
    public final List<MailAddress> recipients;

    public SplitRoutingData(int users, int recipientCount) throws Exception {
        domainList = new MemoryDomainList(new InMemoryDNSService());
        domainList.configure(DomainListConfiguration.builder().autoDetect(false).autoDetectIp(false).build());
        domainList.addDomain(DOMAIN);
        usersRepository = MemoryUsersRepository.withVirtualHosting(domainList);
        BaseHierarchicalConfiguration configuration = new BaseHierarchicalConfiguration();
        // A cheap hash: the benchmark measures routing, not loading a million PBKDF2 passwords.
        configuration.addProperty("algorithm", "SHA-1");
        configuration.addProperty("enableVirtualHosting", true);
        usersRepository.configure(configuration);
        recipientRewriteTable = new IndexedRecipientRewriteTable();
        recipientRewriteTable.setDomainList(domainList);
        recipientRewriteTable.setConfiguration(RecipientRewriteTableConfiguration.DEFAULT_ENABLED);
        recipientRewriteTable.setUsersRepository(usersRepository);
        recipientRewriteTable.setUserEntityValidator(UserEntityValidator.NOOP);
        store = new MemorySplitRoutingStore();
        store.storeDomainRouting(DOMAIN, DomainRouting.of(ImmutableList.of(RelayHost.parse("partner.example.net")), false));

        for (int i = 0; i < users; i++) {
            Username username = Username.of("user" + i + "@example.com");
            usersRepository.addUser(username, "secret");
            for (int alias = 0; alias < i % 3; alias++) {
                recipientRewriteTable.addAliasMapping(MappingSource.fromUser("alias" + alias + "-" + i, DOMAIN), username.asString());
            }
            if (i % 10 == 0) {
                store.storeUserRouting(username, UserRouting.thirdPartyForAllAddresses());
            }
        }
        routeResolver = new RouteResolver(domainList, usersRepository, recipientRewriteTable, store);

        List<MailAddress> mix = new ArrayList<>();
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < recipientCount; i++) {
            int user = random.nextInt(users);
            switch (i % 4) {
                case 0:
                    mix.add(new MailAddress("user" + user + "@example.com"));
                    break;
                case 1:
                    mix.add(new MailAddress("user" + (user - user % 10) + "@example.com"));
                    break;
                case 2:
                    int withAlias = user - user % 3 + 1 < users ? user - user % 3 + 1 : 1;
                    mix.add(new MailAddress("alias0-" + withAlias + "@example.com"));
                    break;
                default:
                    mix.add(new MailAddress("nobody" + user + "@example.com"));
            }
        }
        recipients = ImmutableList.copyOf(mix);
    }
}
