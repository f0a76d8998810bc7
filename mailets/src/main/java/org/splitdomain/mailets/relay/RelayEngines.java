package org.splitdomain.mailets.relay;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.inject.Singleton;

import com.google.common.collect.ImmutableList;

/**
 * The relay engines running in this James, by queue name: how WebAdmin's queue tooling reaches the
 * engine that {@code SplitDomainRemoteDelivery} started (both are built by James's injector).
 */
@Singleton
public class RelayEngines {
    private final Map<String, RelayDeliveryEngine> engines = new ConcurrentHashMap<>();

    public void register(RelayDeliveryEngine engine) {
        RelayDeliveryEngine previous = engines.putIfAbsent(engine.getQueueName(), engine);
        if (previous != null && previous != engine) {
            throw new IllegalStateException("queue " + engine.getQueueName() + " already has a relay engine: give each "
                + "SplitDomainRemoteDelivery its own '" + RelayDeliveryConfiguration.OUTGOING + "'");
        }
    }

    public void unregister(RelayDeliveryEngine engine) {
        engines.remove(engine.getQueueName(), engine);
    }

    public List<RelayDeliveryEngine> all() {
        return ImmutableList.copyOf(engines.values());
    }

    public Optional<RelayDeliveryEngine> byQueue(String queueName) {
        return Optional.ofNullable(engines.get(queueName));
    }
}
