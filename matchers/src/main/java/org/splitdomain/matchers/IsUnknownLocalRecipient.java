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

/**
 * Matches recipients of a local domain that no user, alias or mapping resolves, when that domain
 * forwards unknown addresses to its relay (a slave, or a master that does not know every user).
 *
 * <p>Place it after {@code RecipientRewriteTable} and before {@code RecipientIsLocal} /
 * {@code HostIsLocal}: otherwise James bounces these recipients as unknown. No condition.</p>
 *
 * <pre>{@code
 * <mailet match="org.splitdomain.matchers.IsUnknownLocalRecipient" class="ToProcessor">
 *     <processor>split-domain-relay</processor>
 * </mailet>
 * }</pre>
 */
public class IsUnknownLocalRecipient extends RouteMatcher {
    private final RouteResolver routeResolver;

    @Inject
    public IsUnknownLocalRecipient(RouteResolver routeResolver) {
        this.routeResolver = routeResolver;
    }

    @Override
    protected Optional<RouteDecision> decide(MailAddress recipient) {
        return routeResolver.unknownAddressRoute(recipient);
    }

    @Override
    public String getMatcherInfo() {
        return "Matches unknown recipients of split domains that forward unknown addresses";
    }
}
