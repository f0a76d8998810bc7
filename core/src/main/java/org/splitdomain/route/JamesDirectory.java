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

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;

/**
 * What James itself knows of domains and users: whether it manages a domain, whether a user exists. The one
 * check of each, for the route decision and for every write of settings.
 */
public class JamesDirectory {
    private final DomainList domainList;
    private final UsersRepository usersRepository;

    @Inject
    public JamesDirectory(DomainList domainList, UsersRepository usersRepository) {
        this.domainList = domainList;
        this.usersRepository = usersRepository;
    }

    /** @throws RouteResolutionException when James's DomainList cannot answer */
    public boolean isManagedDomain(Domain domain) {
        try {
            return domainList.containsDomain(domain);
        } catch (DomainListException e) {
            throw new RouteResolutionException("Cannot check domain " + domain.asString(), e);
        }
    }

    /**
     * The user an address names, as James maps it (with or without virtual hosting): the one owner lookup of routing,
     * the login guard and the settings.
     *
     * @throws IllegalArgumentException for an address James cannot turn into a user name (a quoted local part holding {@code @})
     * @throws RouteResolutionException when James's UsersRepository cannot answer
     */
    public Username usernameOf(MailAddress address) {
        try {
            return usersRepository.getUsername(address);
        } catch (UsersRepositoryException e) {
            throw new RouteResolutionException("Cannot find the owner of " + address.asString(), e);
        }
    }

    /** @throws RouteResolutionException when James's UsersRepository cannot answer */
    public boolean isExistingUser(Username username) {
        try {
            return usersRepository.contains(username);
        } catch (UsersRepositoryException e) {
            throw new RouteResolutionException("Cannot check user " + username.asString(), e);
        }
    }
}
