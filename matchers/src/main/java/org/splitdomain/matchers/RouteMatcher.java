package org.splitdomain.matchers;

import java.util.Collection;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.splitdomain.route.RouteDecision;
import org.splitdomain.route.RouteResolutionException;

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
        ImmutableList.Builder<MailAddress> matched = ImmutableList.builder();
        for (MailAddress recipient : mail.getRecipients()) {
            try {
                decide(recipient)
                    .filter(RouteDecision::isRelay)
                    .ifPresent(decision -> matched.add(recipient));
            } catch (RouteResolutionException e) {
                throw new MessagingException(getMatcherName() + " could not route " + recipient.asString()
                    + " of mail " + mail.getName(), e);
            }
        }
        return matched.build();
    }

    protected abstract Optional<RouteDecision> decide(MailAddress recipient);
}
