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
