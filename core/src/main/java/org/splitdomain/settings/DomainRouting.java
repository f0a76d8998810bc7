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

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import com.google.common.base.MoreObjects;
import com.google.common.collect.ImmutableList;

/**
 * Split-routing settings of one domain: the relays of the other system, tried in order, whether
 * recipients of the domain that nobody here knows are handed to them, and whether a recipient relayed
 * as written (an unknown one, or a third-party user's forwarded address) is first checked with the relay
 * at RCPT (recipient verification, on by default when unknown recipients are forwarded: a slave that
 * accepts what its master refuses sends backscatter; a master turns it on so that a flagged user the
 * other system does not host is refused at RCPT too).
 */
public final class DomainRouting {
    public static DomainRouting of(List<RelayHost> relays, boolean forwardUnknown) {
        return of(relays, forwardUnknown, forwardUnknown);
    }

    public static DomainRouting of(List<RelayHost> relays, boolean forwardUnknown, boolean verifyRecipients) {
        if (relays == null || relays.isEmpty()) {
            throw new IllegalArgumentException("'relays' must contain at least one relay");
        }
        Set<String> seen = new HashSet<>();
        for (RelayHost relay : relays) {
            if (!seen.add(relay.asString())) {
                throw new IllegalArgumentException("'relays' lists '" + relay.asString() + "' twice");
            }
        }
        return new DomainRouting(ImmutableList.copyOf(relays), forwardUnknown, verifyRecipients);
    }

    private final ImmutableList<RelayHost> relays;
    private final boolean forwardUnknown;
    private final boolean verifyRecipients;

    private DomainRouting(ImmutableList<RelayHost> relays, boolean forwardUnknown, boolean verifyRecipients) {
        this.relays = relays;
        this.forwardUnknown = forwardUnknown;
        this.verifyRecipients = verifyRecipients;
    }

    public ImmutableList<RelayHost> getRelays() {
        return relays;
    }

    public boolean isForwardUnknown() {
        return forwardUnknown;
    }

    public boolean isVerifyRecipients() {
        return verifyRecipients;
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof DomainRouting) {
            DomainRouting that = (DomainRouting) o;
            return forwardUnknown == that.forwardUnknown && verifyRecipients == that.verifyRecipients
                && relays.equals(that.relays);
        }
        return false;
    }

    @Override
    public int hashCode() {
        return Objects.hash(relays, forwardUnknown, verifyRecipients);
    }

    @Override
    public String toString() {
        return MoreObjects.toStringHelper(this)
            .add("relays", relays)
            .add("forwardUnknown", forwardUnknown)
            .add("verifyRecipients", verifyRecipients)
            .toString();
    }
}
