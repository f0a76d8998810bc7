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
import java.util.concurrent.ConcurrentHashMap;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;

import com.google.common.collect.ImmutableMap;

/** Settings held in memory: for the memory flavour of James and for tests. Lost at restart. */
public class MemorySplitRoutingStore implements SplitRoutingStore {
    private final Map<Domain, DomainRouting> domains = new ConcurrentHashMap<>();
    // Keyed by the username's string (James lower-cases usernames): one String per user instead of a
    // Username with its parts.
    private final Map<String, UserRouting> users = new ConcurrentHashMap<>();

    @Override
    public Optional<DomainRouting> domainRouting(Domain domain) {
        return Optional.ofNullable(domains.get(domain));
    }

    @Override
    public void storeDomainRouting(Domain domain, DomainRouting routing) {
        domains.put(domain, routing);
    }

    @Override
    public void deleteDomainRouting(Domain domain) {
        domains.remove(domain);
    }

    @Override
    public Map<Domain, DomainRouting> listDomainRoutings() {
        return ImmutableMap.copyOf(domains);
    }

    @Override
    public Optional<UserRouting> userRouting(Username username) {
        return Optional.ofNullable(users.get(username.asString()));
    }

    @Override
    public void storeUserRouting(Username username, UserRouting routing) {
        users.put(username.asString(), routing);
    }

    @Override
    public void deleteUserRouting(Username username) {
        users.remove(username.asString());
    }

    @Override
    public Map<Username, UserRouting> listUserRoutings() {
        return users.entrySet().stream()
            .collect(ImmutableMap.toImmutableMap(entry -> Username.of(entry.getKey()), Map.Entry::getValue));
    }
}
