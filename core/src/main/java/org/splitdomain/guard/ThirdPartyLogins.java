package org.splitdomain.guard;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.apache.james.metrics.api.Metric;
import org.apache.james.metrics.api.MetricFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.route.RouteResolutionException;
import org.splitdomain.route.RouteResolver;

/**
 * Who may not log in here: a user hosted on the other system ({@link RouteResolver#isHostedElsewhere}:
 * the route decision relays every one of its addresses) must not connect to or use this server. The
 * guard of every protocol asks this class, so the guard and the routing never disagree.
 *
 * <p>A third-party user with some address kept here, or whose flag has no relay (its mail is then
 * delivered here), keeps its login. Removing the flag restores the login at once, password unchanged.</p>
 */
public class ThirdPartyLogins {
    private static final Logger LOGGER = LoggerFactory.getLogger(ThirdPartyLogins.class);
    /** James metric of the refusals, one per protocol ({@code imap}, {@code pop3}, {@code smtp}, {@code smtp-submission}, {@code jmap}). */
    public static final String REFUSED = "splitDomainLoginsRefused";

    private final RouteResolver routeResolver;
    private final MetricFactory metricFactory;
    private final Map<String, Metric> refusals = new ConcurrentHashMap<>();

    @Inject
    public ThirdPartyLogins(RouteResolver routeResolver, MetricFactory metricFactory) {
        this.routeResolver = routeResolver;
        this.metricFactory = metricFactory;
    }

    /** Whether a login as {@code username} over {@code protocol} is refused; refusals are logged at INFO. */
    public boolean refuses(String protocol, Username username) {
        boolean refused;
        try {
            refused = routeResolver.isHostedElsewhere(username);
        } catch (RouteResolutionException e) {
            // Fail closed: a user who may be hosted elsewhere is not let in while the decision cannot be taken.
            LOGGER.warn("{} login refused for {}: cannot tell whether the user is hosted elsewhere", protocol, username.asString(), e);
            countRefusal(protocol);
            return true;
        }
        if (refused) {
            LOGGER.info("{} login refused for {}: hosted on the other system (every address is relayed)", protocol, username.asString());
            countRefusal(protocol);
        }
        return refused;
    }

    private void countRefusal(String protocol) {
        String name = REFUSED + "." + protocol.toLowerCase(Locale.ROOT).replace(' ', '-');
        refusals.computeIfAbsent(name, metricFactory::generate).increment();
    }
}
