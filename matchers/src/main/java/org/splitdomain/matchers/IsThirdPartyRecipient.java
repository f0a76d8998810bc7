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
package org.splitdomain.matchers;

import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.splitdomain.route.RouteDecision;
import org.splitdomain.route.RouteResolver;
import org.splitdomain.route.RouteRule;

/**
 * Matches the recipients that are forwarded addresses of third-party users (users of this server
 * hosted on the other system of a split domain), when their domain has a relay.
 *
 * <p>Place it twice in the transport processor: before {@code RecipientRewriteTable}, so an address
 * the sender wrote goes to the relay unchanged, and again after it, so a group or alias that expands
 * to a forwarded address sends that copy to the relay. No condition.</p>
 *
 * <pre>{@code
 * <mailet match="org.splitdomain.matchers.IsThirdPartyRecipient" class="ToProcessor">
 *     <processor>split-domain-relay</processor>
 * </mailet>
 * }</pre>
 */
public class IsThirdPartyRecipient extends RouteMatcher {
    private final RouteResolver routeResolver;

    @Inject
    public IsThirdPartyRecipient(RouteResolver routeResolver) {
        this.routeResolver = routeResolver;
    }

    @Override
    protected Optional<RouteDecision> decide(MailAddress recipient) {
        return routeResolver.thirdPartyRoute(recipient);
    }

    // Before RecipientRewriteTable it sees the addresses the sender wrote; after it, what a mapping reached.
    @Override
    protected RouteRule rule(RouteDecision decision, boolean pastMappings) {
        return pastMappings && decision.getRule() == RouteRule.THIRD_PARTY ? RouteRule.THIRD_PARTY_AFTER_MAPPING : decision.getRule();
    }

    @Override
    public String getMatcherInfo() {
        return "Matches forwarded addresses of third-party users of a split domain";
    }
}
