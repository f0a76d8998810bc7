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

import org.apache.james.core.MailAddress;

import com.google.common.collect.ImmutableList;

/** Every decision taken for one recipient as the sender addressed it, after alias and group expansion. */
public final class RouteExplanation {
    private final MailAddress address;
    private final ImmutableList<RouteDecision> decisions;

    RouteExplanation(MailAddress address, List<RouteDecision> decisions) {
        this.address = address;
        this.decisions = ImmutableList.copyOf(decisions);
    }

    public MailAddress getAddress() {
        return address;
    }

    public ImmutableList<MailAddress> getResolvedAddresses() {
        return decisions.stream()
            .map(RouteDecision::getAddress)
            .distinct()
            .collect(ImmutableList.toImmutableList());
    }

    public ImmutableList<RouteDecision> getDecisions() {
        return decisions;
    }

    /**
     * Whether an SMTP server taking this decision would refuse the recipient at RCPT: only when every
     * address it resolves to is an unknown address of a local domain that does not forward unknown
     * addresses. Mapping errors are left to James's rrt-error processor, as James's own check does.
     */
    public boolean isUnknownEverywhere() {
        // No decision means mappings exist but name no usable address: James's own check accepts that.
        return !decisions.isEmpty()
            && decisions.stream().allMatch(decision -> decision.getRule() == RouteRule.UNKNOWN_LOCAL);
    }
}
