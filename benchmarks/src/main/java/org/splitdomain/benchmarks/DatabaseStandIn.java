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

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.SharedSplitRoutingStore;
import org.splitdomain.settings.SplitRoutingStore;
import org.splitdomain.settings.UserRouting;

/**
 * Stands in for the JPA or Cassandra store behind a node's cache: the settings of
 * {@link SplitRoutingData}, and a count of the per-key reads routing makes of it (there should be none).
 */
final class DatabaseStandIn implements SharedSplitRoutingStore {
    private final SplitRoutingStore settings;
    final LongAdder keyReads = new LongAdder();

    DatabaseStandIn(SplitRoutingStore settings) {
        this.settings = settings;
    }

    @Override
    public long generation() {
        return 1;
    }

    @Override
    public Optional<DomainRouting> domainRouting(Domain domain) {
        keyReads.increment();
        return settings.domainRouting(domain);
    }

    @Override
    public Optional<UserRouting> userRouting(Username username) {
        keyReads.increment();
        return settings.userRouting(username);
    }

    @Override
    public Map<Domain, DomainRouting> listDomainRoutings() {
        return settings.listDomainRoutings();
    }

    @Override
    public Map<Username, UserRouting> listUserRoutings() {
        return settings.listUserRoutings();
    }

    @Override
    public void storeDomainRouting(Domain domain, DomainRouting routing) {
        throw new UnsupportedOperationException("the benchmark does not write");
    }

    @Override
    public void deleteDomainRouting(Domain domain) {
        throw new UnsupportedOperationException("the benchmark does not write");
    }

    @Override
    public void storeUserRouting(Username username, UserRouting routing) {
        throw new UnsupportedOperationException("the benchmark does not write");
    }

    @Override
    public void deleteUserRouting(Username username) {
        throw new UnsupportedOperationException("the benchmark does not write");
    }
}
