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
package org.splitdomain.mailets.relay;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.james.metrics.api.Metric;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.metrics.api.TimeMetric;
import org.splitdomain.settings.RelayHost;

/**
 * James metrics of the relay engine, one of each per relay ({@code host:port} ends the name):
 * {@code splitDomainRelayDelivered}, {@code splitDomainRelayDeferred}, {@code splitDomainRelayBounced}
 * (recipients), {@code splitDomainRelayConnectionsOpened}, {@code splitDomainRelayConnectionsReused},
 * and the timer {@code splitDomainRelayDelivery} (one SMTP delivery to the relay, connection included).
 */
public final class RelayMetrics {
    public static final String DELIVERED = "splitDomainRelayDelivered";
    public static final String DEFERRED = "splitDomainRelayDeferred";
    public static final String BOUNCED = "splitDomainRelayBounced";
    public static final String CONNECTIONS_OPENED = "splitDomainRelayConnectionsOpened";
    public static final String CONNECTIONS_REUSED = "splitDomainRelayConnectionsReused";
    public static final String DELIVERY_TIME = "splitDomainRelayDelivery";

    private final MetricFactory metricFactory;
    private final Map<String, Metric> metrics = new ConcurrentHashMap<>();

    public RelayMetrics(MetricFactory metricFactory) {
        this.metricFactory = metricFactory;
    }

    public static String name(String metric, RelayHost relay) {
        return metric + "." + relay.asString();
    }

    private Metric metric(String metric, RelayHost relay) {
        return metrics.computeIfAbsent(name(metric, relay), metricFactory::generate);
    }

    public void delivered(RelayHost relay, int recipients) {
        metric(DELIVERED, relay).add(recipients);
    }

    public void deferred(RelayHost relay, int recipients) {
        metric(DEFERRED, relay).add(recipients);
    }

    public void bounced(RelayHost relay, int recipients) {
        metric(BOUNCED, relay).add(recipients);
    }

    public void connectionOpened(RelayHost relay) {
        metric(CONNECTIONS_OPENED, relay).increment();
    }

    public void connectionReused(RelayHost relay) {
        metric(CONNECTIONS_REUSED, relay).increment();
    }

    public TimeMetric deliveryTimer(RelayHost relay) {
        return metricFactory.timer(name(DELIVERY_TIME, relay));
    }
}
