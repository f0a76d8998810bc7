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

import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;

import com.google.common.base.MoreObjects;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;

/**
 * Split-routing settings of one user: whether the user is hosted on the other system
 * (a third-party user) and which of its addresses are forwarded there.
 *
 * <p>No explicit list means all of the user's addresses, including aliases added later.</p>
 */
public final class UserRouting {
    // Most users share one of these two: a store of a million users holds no object per setting.
    private static final UserRouting THIRD_PARTY_FOR_ALL_ADDRESSES = new UserRouting(true, null);
    private static final UserRouting INTERNAL = new UserRouting(false, null);

    public static UserRouting thirdPartyForAllAddresses() {
        return THIRD_PARTY_FOR_ALL_ADDRESSES;
    }

    public static UserRouting thirdParty(Collection<MailAddress> forwardedAddresses) {
        return thirdPartyOfStored(forwardedAddresses.stream().map(MailAddress::asString).collect(ImmutableList.toImmutableList()));
    }

    /**
     * The chosen addresses as a store wrote them, {@link MailAddress#asString()} of addresses that parsed: a node's
     * copy of a million users is loaded without parsing each address again.
     */
    public static UserRouting thirdPartyOfStored(Collection<String> forwardedAddresses) {
        if (forwardedAddresses.isEmpty()) {
            throw new IllegalArgumentException("'forwardedAddresses' must not be empty: omit it to forward all of the user's addresses");
        }
        // Kept as strings, not MailAddress objects: routing compares strings, and the settings of
        // every user stay in memory.
        Set<String> seen = new HashSet<>();
        String[] addresses = forwardedAddresses.stream()
            .filter(address -> seen.add(address.toLowerCase(Locale.US)))
            .sorted(String.CASE_INSENSITIVE_ORDER)
            .toArray(String[]::new);
        return new UserRouting(true, addresses);
    }

    public static UserRouting internal() {
        return INTERNAL;
    }

    private final boolean thirdParty;
    private final String[] forwardedAddresses;

    private UserRouting(boolean thirdParty, String[] forwardedAddresses) {
        this.thirdParty = thirdParty;
        this.forwardedAddresses = forwardedAddresses;
    }

    public boolean isThirdParty() {
        return thirdParty;
    }

    /** The chosen subset, or empty when every address of the user is forwarded. */
    public Optional<ImmutableSet<MailAddress>> getForwardedAddresses() {
        if (forwardedAddresses == null) {
            return Optional.empty();
        }
        return Optional.of(Arrays.stream(forwardedAddresses)
            .map(UserRouting::mailAddress)
            .collect(ImmutableSet.toImmutableSet()));
    }

    public boolean forwardsAllAddresses() {
        return forwardedAddresses == null;
    }

    /** Whether mail for {@code address}, already known to be one of this user's addresses, goes to the relay. */
    public boolean forwards(MailAddress address) {
        if (!thirdParty) {
            return false;
        }
        if (forwardedAddresses == null) {
            return true;
        }
        // Domains are case-insensitive (MailAddress lower-cases them); James's usernames are lower-cased,
        // so a local part differing only in case names the same mailbox here.
        String wanted = address.asString();
        for (String forwarded : forwardedAddresses) {
            if (forwarded.equalsIgnoreCase(wanted)) {
                return true;
            }
        }
        return false;
    }

    private static MailAddress mailAddress(String address) {
        try {
            return new MailAddress(address);
        } catch (AddressException e) {
            throw new IllegalStateException("A stored forwarded address no longer parses: " + address, e);
        }
    }

    private ImmutableSet<String> comparableAddresses() {
        return forwardedAddresses == null ? ImmutableSet.of() : Arrays.stream(forwardedAddresses)
            .map(address -> address.toLowerCase(Locale.US))
            .collect(ImmutableSet.toImmutableSet());
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof UserRouting) {
            UserRouting that = (UserRouting) o;
            return thirdParty == that.thirdParty
                && (forwardedAddresses == null) == (that.forwardedAddresses == null)
                && comparableAddresses().equals(that.comparableAddresses());
        }
        return false;
    }

    @Override
    public int hashCode() {
        return Objects.hash(thirdParty, forwardedAddresses == null, comparableAddresses());
    }

    @Override
    public String toString() {
        return MoreObjects.toStringHelper(this)
            .add("thirdParty", thirdParty)
            .add("forwardedAddresses", forwardedAddresses == null ? "all" : Arrays.toString(forwardedAddresses))
            .toString();
    }
}
