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

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.Sets;

/**
 * The rule that sent each recipient of a mail to a relay, as the route explanation of the address the sender wrote
 * names it, recorded on the mail by our matchers for the relay mailet to count. The mailet sees the recipients James's
 * RecipientRewriteTable left: a group member reached through {@code team@} is {@code bob@} by then, whose own route is
 * {@code third-party}; what put him there was {@code third-party-after-mapping}, and that is what an operator reads for
 * {@code team@} and must find in the metrics.
 *
 * <p>Our first matcher in {@code transport} (the install steps put {@code IsThirdPartyRecipient} before
 * {@code RecipientRewriteTable}) sees the recipients as written; every match after it was reached through a mapping.</p>
 */
public final class RecipientRules {
    /** The rules a recipient is relayed by: the only ones counted as decisions. */
    public static final Set<RouteRule> RELAY_RULES = Sets.immutableEnumSet(RouteRule.THIRD_PARTY, RouteRule.THIRD_PARTY_AFTER_MAPPING,
        RouteRule.FORWARD_UNKNOWN);
    private static final AttributeName SEEN = AttributeName.of("org.splitdomain.route.seen");
    private static final AttributeName RULES = AttributeName.of("org.splitdomain.route.rules");

    private RecipientRules() {
    }

    /** Whether one of our matchers saw the mail before: its recipients are then past James's mappings. */
    public static boolean pastMappings(Mail mail) {
        return mail.getAttribute(SEEN).isPresent();
    }

    /** Called by each of our matchers once it has looked at the mail. */
    public static void seen(Mail mail) {
        mail.setAttribute(new Attribute(SEEN, AttributeValue.of(true)));
    }

    /** Adds the rules of a matcher's matches to those the mail carries. */
    public static void record(Mail mail, Map<MailAddress, RouteRule> matches) {
        if (matches.isEmpty()) {
            return;
        }
        Map<String, AttributeValue<?>> rules = new HashMap<>(recorded(mail));
        matches.forEach((recipient, rule) -> rules.put(recipient.asString(), AttributeValue.of(rule.asString())));
        mail.setAttribute(new Attribute(RULES, AttributeValue.of(ImmutableMap.copyOf(rules))));
    }

    public static Optional<RouteRule> ruleOf(Mail mail, MailAddress recipient) {
        return Optional.ofNullable(recorded(mail).get(recipient.asString()))
            .map(value -> value.value().toString())
            .flatMap(RecipientRules::parse);
    }

    /** Removes what our matchers recorded: a mail going back to James's processing is seen anew. */
    public static void forget(Mail mail) {
        mail.removeAttribute(SEEN);
        mail.removeAttribute(RULES);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, AttributeValue<?>> recorded(Mail mail) {
        return mail.getAttribute(RULES)
            .map(attribute -> attribute.getValue().value())
            .filter(Map.class::isInstance)
            .map(value -> (Map<String, AttributeValue<?>>) value)
            .orElse(ImmutableMap.of());
    }

    private static Optional<RouteRule> parse(String value) {
        for (RouteRule rule : RouteRule.values()) {
            if (rule.asString().equals(value)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }
}
