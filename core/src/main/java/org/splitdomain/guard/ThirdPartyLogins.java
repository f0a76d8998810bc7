package org.splitdomain.guard;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.settings.SplitRoutingStore;

/**
 * Who may not log in here: a third-party user whose every address goes to the other system is hosted
 * there, and per the split-domain rules must not connect to or use this server.
 *
 * <p>A third-party user with a chosen subset of forwarded addresses still receives mail here for the
 * others, so it keeps its login. Removing the flag restores the login at once, password unchanged.</p>
 */
public class ThirdPartyLogins {
    private static final Logger LOGGER = LoggerFactory.getLogger(ThirdPartyLogins.class);

    private final SplitRoutingStore store;

    @Inject
    public ThirdPartyLogins(SplitRoutingStore store) {
        this.store = store;
    }

    /** Whether a login as {@code username} over {@code protocol} is refused; refusals are logged at INFO. */
    public boolean refuses(String protocol, Username username) {
        boolean refused = store.userRouting(username)
            .filter(routing -> routing.isThirdParty() && routing.forwardsAllAddresses())
            .isPresent();
        if (refused) {
            LOGGER.info("{} login refused for {}: third-party user hosted on the other system", protocol, username.asString());
        }
        return refused;
    }
}
