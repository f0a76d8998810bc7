package org.splitdomain.smtp;

import javax.inject.Inject;

import org.apache.james.utils.UserDefinedStartable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.settings.SplitRoutingStore;

/**
 * At start-up, warns about every domain whose relay is this server itself: each mail relayed there
 * would come straight back. Name it in {@code extensions.properties}:
 * {@code guice.extension.startable=org.splitdomain.smtp.OwnRelayStartupCheck}.
 */
public class OwnRelayStartupCheck implements UserDefinedStartable {
    private static final Logger LOGGER = LoggerFactory.getLogger(OwnRelayStartupCheck.class);

    private final SplitRoutingStore store;
    private final OwnSmtpEndpoints ownSmtpEndpoints;

    @Inject
    public OwnRelayStartupCheck(SplitRoutingStore store, OwnSmtpEndpoints ownSmtpEndpoints) {
        this.store = store;
        this.ownSmtpEndpoints = ownSmtpEndpoints;
    }

    @Override
    public void start() {
        ownSmtpEndpoints.ownRelays(store.listDomainRoutings()).forEach(LOGGER::warn);
    }
}
