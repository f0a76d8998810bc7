package org.splitdomain.settings;

import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

import org.apache.james.core.MailAddress;

import com.google.common.base.MoreObjects;
import com.google.common.collect.ImmutableSet;

/**
 * Split-routing settings of one user: whether the user is hosted on the other system
 * (a third-party user) and which of its addresses are forwarded there.
 *
 * <p>No explicit list means all of the user's addresses, including aliases added later.</p>
 */
public final class UserRouting {
    public static UserRouting thirdPartyForAllAddresses() {
        return new UserRouting(true, Optional.empty());
    }

    public static UserRouting thirdParty(Collection<MailAddress> forwardedAddresses) {
        if (forwardedAddresses.isEmpty()) {
            throw new IllegalArgumentException("'forwardedAddresses' must not be empty: omit it to forward all of the user's addresses");
        }
        return new UserRouting(true, Optional.of(ImmutableSet.copyOf(forwardedAddresses)));
    }

    public static UserRouting internal() {
        return new UserRouting(false, Optional.empty());
    }

    private final boolean thirdParty;
    private final Optional<ImmutableSet<MailAddress>> forwardedAddresses;

    private UserRouting(boolean thirdParty, Optional<ImmutableSet<MailAddress>> forwardedAddresses) {
        this.thirdParty = thirdParty;
        this.forwardedAddresses = forwardedAddresses;
    }

    public boolean isThirdParty() {
        return thirdParty;
    }

    /** The chosen subset, or empty when every address of the user is forwarded. */
    public Optional<ImmutableSet<MailAddress>> getForwardedAddresses() {
        return forwardedAddresses;
    }

    public boolean forwardsAllAddresses() {
        return forwardedAddresses.isEmpty();
    }

    /** Whether mail for {@code address}, already known to be one of this user's addresses, goes to the relay. */
    public boolean forwards(MailAddress address) {
        return thirdParty && forwardedAddresses
            .map(addresses -> addresses.stream().anyMatch(forwarded -> sameAddress(forwarded, address)))
            .orElse(true);
    }

    // Domains are case-insensitive (MailAddress lower-cases them); James's usernames are lower-cased,
    // so a local part differing only in case names the same mailbox here.
    private static boolean sameAddress(MailAddress a, MailAddress b) {
        return a.asString().equalsIgnoreCase(b.asString());
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof UserRouting) {
            UserRouting that = (UserRouting) o;
            return thirdParty == that.thirdParty && forwardedAddresses.equals(that.forwardedAddresses);
        }
        return false;
    }

    @Override
    public int hashCode() {
        return Objects.hash(thirdParty, forwardedAddresses);
    }

    @Override
    public String toString() {
        return MoreObjects.toStringHelper(this)
            .add("thirdParty", thirdParty)
            .add("forwardedAddresses", forwardedAddresses)
            .toString();
    }
}
