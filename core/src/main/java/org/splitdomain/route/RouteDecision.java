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
package org.splitdomain.route;

import java.util.List;
import java.util.Objects;

import org.apache.james.core.MailAddress;
import org.splitdomain.settings.RelayHost;

import com.google.common.base.MoreObjects;
import com.google.common.collect.ImmutableList;

/** The route of one (possibly rewritten) recipient, with the rule that chose it and why. */
public final class RouteDecision {
    public static RouteDecision relay(MailAddress address, List<RelayHost> relays, RouteRule rule, String reason) {
        return new RouteDecision(address, Route.RELAY, ImmutableList.copyOf(relays), rule, reason);
    }

    public static RouteDecision of(MailAddress address, Route route, RouteRule rule, String reason) {
        return new RouteDecision(address, route, ImmutableList.of(), rule, reason);
    }

    private final MailAddress address;
    private final Route route;
    private final ImmutableList<RelayHost> relays;
    private final RouteRule rule;
    private final String reason;

    private RouteDecision(MailAddress address, Route route, ImmutableList<RelayHost> relays, RouteRule rule, String reason) {
        this.address = address;
        this.route = route;
        this.relays = relays;
        this.rule = rule;
        this.reason = reason;
    }

    public MailAddress getAddress() {
        return address;
    }

    public Route getRoute() {
        return route;
    }

    public ImmutableList<RelayHost> getRelays() {
        return relays;
    }

    public RouteRule getRule() {
        return rule;
    }

    public String getReason() {
        return reason;
    }

    public boolean isRelay() {
        return route == Route.RELAY;
    }

    /** The same decision, taken for an address that James's RecipientRewriteTable produced. */
    RouteDecision afterMapping(MailAddress original) {
        if (rule != RouteRule.THIRD_PARTY) {
            return this;
        }
        return new RouteDecision(address, route, relays, RouteRule.THIRD_PARTY_AFTER_MAPPING,
            reason + " (reached through the mappings of " + original.asString() + ")");
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof RouteDecision) {
            RouteDecision that = (RouteDecision) o;
            return address.equals(that.address) && route == that.route && relays.equals(that.relays)
                && rule == that.rule && reason.equals(that.reason);
        }
        return false;
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, route, relays, rule, reason);
    }

    @Override
    public String toString() {
        return MoreObjects.toStringHelper(this)
            .add("address", address)
            .add("route", route)
            .add("relays", relays)
            .add("rule", rule)
            .add("reason", reason)
            .toString();
    }
}
