package org.splitdomain.settings;

import java.util.Map;
import java.util.Optional;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;

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
     * so that either all of them are there or none, and other nodes reload once. By default, one write per entry.
     */
    default void storeAll(Map<Domain, DomainRouting> domains, Map<Username, UserRouting> users) {
        domains.forEach(this::storeDomainRouting);
        users.forEach(this::storeUserRouting);
    }
}
