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
package org.splitdomain.guard;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.apache.james.metrics.api.Metric;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
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
 *
 * <p>A refused password login costs what a wrong password costs ({@link #refusesPassword}): the reply alone
 * being the same, a refusal that skipped the password hash would tell an outsider, by its speed, which accounts
 * are hosted elsewhere.</p>
 */
public class ThirdPartyLogins {
    private static final Logger LOGGER = LoggerFactory.getLogger(ThirdPartyLogins.class);
    /** James metric of the refusals, one per protocol ({@code imap}, {@code pop3}, {@code smtp}, {@code smtp-submission}, {@code jmap}). */
    public static final String REFUSED = "splitDomainLoginsRefused";

    private final RouteResolver routeResolver;
    private final UsersRepository usersRepository;
    private final MetricFactory metricFactory;
    private final Map<String, Metric> refusals = new ConcurrentHashMap<>();

    @Inject
    public ThirdPartyLogins(RouteResolver routeResolver, UsersRepository usersRepository, MetricFactory metricFactory) {
        this.routeResolver = routeResolver;
        this.usersRepository = usersRepository;
        this.metricFactory = metricFactory;
    }

    /**
     * Whether a login as {@code username} with {@code password} over {@code protocol} is refused. A refused one has the
     * password checked all the same, by James's own {@link UsersRepository#test} (the same read of the user, the same
     * hash of the repository's algorithm, the same {@code verifyFailureDelay} for a wrong one), and the result thrown
     * away: it takes as long as a wrong password of a user hosted here.
     */
    public boolean refusesPassword(String protocol, Username username, String password) {
        if (!refuses(protocol, username)) {
            return false;
        }
        spendPasswordCheck(protocol, username, password);
        return true;
    }

    /** Checks {@code password} as James would for a login of {@code username} that is refused anyway; the result is not used. */
    public void spendPasswordCheck(String protocol, Username username, String password) {
        try {
            usersRepository.test(username, password);
        } catch (UsersRepositoryException | RuntimeException e) {
            LOGGER.debug("{}: the password check of refused user {} failed", protocol, username.asString(), e);
        }
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
