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
package org.splitdomain.settings;

import java.util.Map;
import java.util.Optional;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;

import com.google.common.collect.Maps;

/**
 * Where the per-domain and per-user split-routing settings live. Every backend passes
 * {@code SplitRoutingStoreContract}. Validation against James's DomainList and UsersRepository
 * happens before a write reaches the store, so a store only keeps what it is given.
 */
public interface SplitRoutingStore {
    Optional<DomainRouting> domainRouting(Domain domain);

    void storeDomainRouting(Domain domain, DomainRouting routing);

    /** Idempotent: removing settings that do not exist is not an error. */
    void deleteDomainRouting(Domain domain);

    Map<Domain, DomainRouting> listDomainRoutings();

    Optional<UserRouting> userRouting(Username username);

    void storeUserRouting(Username username, UserRouting routing);

    /** Idempotent: removing settings that do not exist is not an error. */
    void deleteUserRouting(Username username);

    Map<Username, UserRouting> listUserRoutings();

    /**
     * Stores all these settings as one write: what an import does. A database store writes them in one transaction,
     * so that either all of them are there or none, and other nodes reload once.
     */
    default void storeAll(Map<Domain, DomainRouting> domains, Map<Username, UserRouting> users) {
        applyAll(Maps.transformValues(domains, Optional::of), Maps.transformValues(users, Optional::of));
    }

    /**
     * Stores each setting given, and removes each one given as empty, as one write: an import that replaces every
     * setting. A database store writes them in one transaction (Cassandra: one commit). By default, one write per entry.
     */
    default void applyAll(Map<Domain, Optional<DomainRouting>> domains, Map<Username, Optional<UserRouting>> users) {
        domains.forEach((domain, routing) -> routing.ifPresentOrElse(
            present -> storeDomainRouting(domain, present), () -> deleteDomainRouting(domain)));
        users.forEach((username, routing) -> routing.ifPresentOrElse(
            present -> storeUserRouting(username, present), () -> deleteUserRouting(username)));
    }
}
