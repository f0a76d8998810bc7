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

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.splitdomain.route.RecipientRules;
import org.splitdomain.route.RouteDecision;
import org.splitdomain.route.RouteResolutionException;
import org.splitdomain.route.RouteRule;

import com.google.common.collect.ImmutableList;

/**
 * A matcher that keeps the recipients for which one rule of the route decision answers "relay".
 * The rule itself lives in {@link org.splitdomain.route.RouteResolver}; subclasses only name it.
 */
abstract class RouteMatcher extends GenericMatcher {

    @Override
    public void init() throws MessagingException {
        if (getCondition() != null && !getCondition().isBlank()) {
            throw new MessagingException(getMatcherName() + " takes no condition, got '" + getCondition() + "'");
        }
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        boolean pastMappings = RecipientRules.pastMappings(mail);
        Map<MailAddress, RouteRule> matched = new LinkedHashMap<>();
        for (MailAddress recipient : mail.getRecipients()) {
            try {
                decide(recipient)
                    .filter(RouteDecision::isRelay)
                    .ifPresent(decision -> matched.put(recipient, rule(decision, pastMappings)));
            } catch (RouteResolutionException e) {
                throw new MessagingException(getMatcherName() + " could not route " + recipient.asString()
                    + " of mail " + mail.getName(), e);
            }
        }
        RecipientRules.record(mail, matched);
        RecipientRules.seen(mail);
        return ImmutableList.copyOf(matched.keySet());
    }

    protected abstract Optional<RouteDecision> decide(MailAddress recipient);

    /** The rule the route explanation of the address the sender wrote gives a recipient this matcher relays. */
    protected RouteRule rule(RouteDecision decision, boolean pastMappings) {
        return decision.getRule();
    }
}
