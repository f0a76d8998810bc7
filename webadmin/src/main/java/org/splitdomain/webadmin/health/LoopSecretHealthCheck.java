package org.splitdomain.webadmin.health;

import java.util.List;

import javax.inject.Inject;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.reactivestreams.Publisher;
import org.splitdomain.mailets.relay.RelayDeliveryConfiguration;
import org.splitdomain.mailets.relay.RelayDeliveryEngine;
import org.splitdomain.mailets.relay.RelayEngines;

import com.google.common.collect.ImmutableList;

import reactor.core.publisher.Mono;

/**
 * Degraded while a {@code SplitDomainRemoteDelivery} mailet signs its loop marks with a secret of this process
 * only: a mail that comes back after a restart, or through another node, is then not known for a loop and goes
 * round until James's {@code RelayLimit} stops it.
 */
public class LoopSecretHealthCheck implements HealthCheck {
    public static final ComponentName COMPONENT = new ComponentName("Split-domain loop secret");

    private final RelayEngines engines;

    @Inject
    public LoopSecretHealthCheck(RelayEngines engines) {
        this.engines = engines;
    }

    @Override
    public ComponentName componentName() {
        return COMPONENT;
    }

    @Override
    public Publisher<Result> check() {
        return Mono.fromCallable(() -> {
            List<String> withoutSecret = engines.all().stream()
                .filter(engine -> !engine.hasLoopSecret())
                .map(RelayDeliveryEngine::getMailetName)
                .collect(ImmutableList.toImmutableList());
            if (withoutSecret.isEmpty()) {
                return Result.healthy(COMPONENT);
            }
            return Result.degraded(COMPONENT, "mailet " + String.join(", ", withoutSecret) + " has no '"
                + RelayDeliveryConfiguration.LOOP_SECRET + "': loop marks are signed with a secret of this process only, so a mail "
                + "that comes back after a restart or through another node is not recognised as a loop; give every node the same '"
                + RelayDeliveryConfiguration.LOOP_SECRET_FILE + "' (mailetcontainer.xml)");
        });
    }
}
