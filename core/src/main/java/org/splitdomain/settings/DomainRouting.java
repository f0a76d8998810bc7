package org.splitdomain.settings;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import com.google.common.base.MoreObjects;
import com.google.common.collect.ImmutableList;

/**
 * Split-routing settings of one domain: the relays of the other system, tried in order, and
 * whether recipients of the domain that nobody here knows are handed to them.
 */
public final class DomainRouting {
    public static DomainRouting of(List<RelayHost> relays, boolean forwardUnknown) {
        if (relays == null || relays.isEmpty()) {
            throw new IllegalArgumentException("'relays' must contain at least one relay");
        }
        Set<String> seen = new HashSet<>();
        for (RelayHost relay : relays) {
            if (!seen.add(relay.asString())) {
                throw new IllegalArgumentException("'relays' lists '" + relay.asString() + "' twice");
            }
        }
        return new DomainRouting(ImmutableList.copyOf(relays), forwardUnknown);
    }

    private final ImmutableList<RelayHost> relays;
    private final boolean forwardUnknown;

    private DomainRouting(ImmutableList<RelayHost> relays, boolean forwardUnknown) {
        this.relays = relays;
        this.forwardUnknown = forwardUnknown;
    }

    public ImmutableList<RelayHost> getRelays() {
        return relays;
    }

    public boolean isForwardUnknown() {
        return forwardUnknown;
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof DomainRouting) {
            DomainRouting that = (DomainRouting) o;
            return forwardUnknown == that.forwardUnknown && relays.equals(that.relays);
        }
        return false;
    }

    @Override
    public int hashCode() {
        return Objects.hash(relays, forwardUnknown);
    }

    @Override
    public String toString() {
        return MoreObjects.toStringHelper(this)
            .add("relays", relays)
            .add("forwardUnknown", forwardUnknown)
            .toString();
    }
}
