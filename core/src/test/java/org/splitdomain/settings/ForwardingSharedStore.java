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

/** A database store seen through a test that overrides what it watches, such as the reloads of a node's copy. */
public class ForwardingSharedStore implements SharedSplitRoutingStore, AutoCloseable {
    private final SharedSplitRoutingStore delegate;

    public ForwardingSharedStore(SharedSplitRoutingStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public long generation() {
        return delegate.generation();
    }

    @Override
    public Optional<GenerationMove> lastWriteMove() {
        return delegate.lastWriteMove();
    }

    @Override
    public Optional<DomainRouting> domainRouting(Domain domain) {
        return delegate.domainRouting(domain);
    }

    @Override
    public void storeDomainRouting(Domain domain, DomainRouting routing) {
        delegate.storeDomainRouting(domain, routing);
    }

    @Override
    public void deleteDomainRouting(Domain domain) {
        delegate.deleteDomainRouting(domain);
    }

    @Override
    public Map<Domain, DomainRouting> listDomainRoutings() {
        return delegate.listDomainRoutings();
    }

    @Override
    public Optional<UserRouting> userRouting(Username username) {
        return delegate.userRouting(username);
    }

    @Override
    public void storeUserRouting(Username username, UserRouting routing) {
        delegate.storeUserRouting(username, routing);
    }

    @Override
    public void deleteUserRouting(Username username) {
        delegate.deleteUserRouting(username);
    }

    @Override
    public Map<Username, UserRouting> listUserRoutings() {
        return delegate.listUserRoutings();
    }

    @Override
    public void close() throws Exception {
        if (delegate instanceof AutoCloseable) {
            ((AutoCloseable) delegate).close();
        }
    }

    @Override
    public void applyAll(Map<Domain, Optional<DomainRouting>> domains, Map<Username, Optional<UserRouting>> users) {
        delegate.applyAll(domains, users);
    }
}
