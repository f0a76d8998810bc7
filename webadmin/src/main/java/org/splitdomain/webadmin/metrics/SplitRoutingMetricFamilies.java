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
package org.splitdomain.webadmin.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.splitdomain.guard.ThirdPartyLogins;
import org.splitdomain.mailets.SplitRoutingRemoteDelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.mailets.relay.RelayBacklog;
import org.splitdomain.mailets.relay.RelayMetrics;
import org.splitdomain.mailets.relay.RelayQueue;
import org.splitdomain.mailets.verify.RecipientVerifier;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import com.google.common.collect.ImmutableList;

import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;

/**
 * Our James metrics as Prometheus metric families, with what James names by suffix
 * ({@code splitDomainRelayDelivered.mx.example.com:25}) turned into labels
 * ({@code split_domain_relay_recipients_total{relay="mx.example.com:25",outcome="delivered"}}), plus the relay
 * queue's figures read at scrape time. James's own exporter would flatten each relay into a metric name.
 */
public final class SplitRoutingMetricFamilies {
    private static final Logger LOGGER = LoggerFactory.getLogger(SplitRoutingMetricFamilies.class);
    private static final double[] QUANTILES = {0.5, 0.95, 0.99};

    /** One James metric (a name, or a name and a suffix) and where it lands in Prometheus. */
    private record Source(String jamesName, Optional<String> suffixLabel, List<String> fixedLabels,
                          List<String> fixedValues) {
        static Source of(String jamesName) {
            return new Source(jamesName, Optional.empty(), ImmutableList.of(), ImmutableList.of());
        }

        static Source bySuffix(String jamesName, String suffixLabel) {
            return new Source(jamesName, Optional.of(suffixLabel), ImmutableList.of(), ImmutableList.of());
        }

        static Source bySuffix(String jamesName, String suffixLabel, String fixedLabel, String fixedValue) {
            return new Source(jamesName, Optional.of(suffixLabel), ImmutableList.of(fixedLabel), ImmutableList.of(fixedValue));
        }

        /** The labels of the James metric of that name, if it is this source's. */
        Optional<List<String>> labelValues(String name) {
            if (suffixLabel.isEmpty()) {
                return name.equals(jamesName) ? Optional.of(fixedValues) : Optional.empty();
            }
            if (!name.startsWith(jamesName + ".")) {
                return Optional.empty();
            }
            return Optional.of(ImmutableList.<String>builder().add(name.substring(jamesName.length() + 1)).addAll(fixedValues).build());
        }

        List<String> labelNames() {
            return ImmutableList.<String>builder().addAll(suffixLabel.stream().iterator()).addAll(fixedLabels).build();
        }
    }

    private record Family(String name, Collector.Type type, String help, List<Source> sources) {
    }

    private static final List<Family> COUNTERS = ImmutableList.of(
        new Family("split_domain_decisions", Collector.Type.COUNTER,
            "Recipients queued for a relay, by the routing rule that decided it",
            ImmutableList.of(Source.bySuffix(SplitRoutingRemoteDelivery.DECISIONS, "rule"))),
        new Family("split_domain_relayed_recipients", Collector.Type.COUNTER, "Recipients queued for a relay",
            ImmutableList.of(Source.of(SplitRoutingRemoteDelivery.RELAYED))),
        new Family("split_domain_unroutable_recipients", Collector.Type.COUNTER,
            "Recipients no relay applied to any more, sent back to James's processing",
            ImmutableList.of(Source.of(SplitRoutingRemoteDelivery.UNROUTABLE))),
        new Family("split_domain_loop_recipients", Collector.Type.COUNTER, "Recipients returned to the sender as a routing loop",
            ImmutableList.of(Source.of(SplitRoutingRemoteDelivery.LOOPS))),
        new Family("split_domain_relay_recipients", Collector.Type.COUNTER,
            "Recipients of relay deliveries, by relay and outcome (delivered, deferred, bounced)",
            ImmutableList.of(
                Source.bySuffix(RelayMetrics.DELIVERED, "relay", "outcome", "delivered"),
                Source.bySuffix(RelayMetrics.DEFERRED, "relay", "outcome", "deferred"),
                Source.bySuffix(RelayMetrics.BOUNCED, "relay", "outcome", "bounced"))),
        new Family("split_domain_relay_connections", Collector.Type.COUNTER, "SMTP sessions with a relay, opened or reused",
            ImmutableList.of(
                Source.bySuffix(RelayMetrics.CONNECTIONS_OPENED, "relay", "connection", "opened"),
                Source.bySuffix(RelayMetrics.CONNECTIONS_REUSED, "relay", "connection", "reused"))),
        new Family("split_domain_logins_refused", Collector.Type.COUNTER,
            "Logins refused because the user is hosted on the other system, by protocol",
            ImmutableList.of(Source.bySuffix(ThirdPartyLogins.REFUSED, "protocol"))),
        new Family("split_domain_verify_probes", Collector.Type.COUNTER, "Recipient verification probes sent, by relay",
            ImmutableList.of(Source.bySuffix(RecipientVerifier.PROBES, "relay"))),
        new Family("split_domain_verify_cache_hits", Collector.Type.COUNTER, "Recipient verifications answered from the cache",
            ImmutableList.of(Source.of(RecipientVerifier.CACHE_HITS))),
        new Family("split_domain_verify_answers", Collector.Type.COUNTER,
            "Recipient verification answers (accepted, refused, unavailable, pending, throttled)",
            ImmutableList.of(Source.bySuffix(RecipientVerifier.ANSWERS, "result"))));

    private static final Family DELIVERY_TIME = new Family("split_domain_relay_delivery_seconds", Collector.Type.SUMMARY,
        "Time of one delivery to a relay, session included",
        ImmutableList.of(Source.bySuffix(RelayMetrics.DELIVERY_TIME, "relay")));

    private static final Family CIRCUIT_OPEN = new Family("split_domain_verify_circuit_open", Collector.Type.GAUGE,
        "1 while recipient verification does not ask the relay (its circuit is open)",
        ImmutableList.of(Source.bySuffix(RecipientVerifier.CIRCUIT_OPEN, "relay")));

    private final MetricRegistry registry;
    private final RelayQueue queue;
    private final Clock clock;

    public SplitRoutingMetricFamilies(MetricRegistry registry, RelayQueue queue, Clock clock) {
        this.registry = registry;
        this.queue = queue;
        this.clock = clock;
    }

    public List<MetricFamilySamples> collect() {
        List<MetricFamilySamples> families = new ArrayList<>();
        Map<String, Meter> meters = registry.getMeters();
        for (Family family : COUNTERS) {
            families.add(family(family, family.name() + "_total", meters, meter -> (double) meter.getCount()));
        }
        families.add(deliveryTimes());
        families.add(family(CIRCUIT_OPEN, CIRCUIT_OPEN.name(), registry.getGauges(), SplitRoutingMetricFamilies::gaugeValue));
        families.addAll(queue());
        return families;
    }

    private static <M> MetricFamilySamples family(Family family, String sampleName, Map<String, M> metrics, Function<M, Double> value) {
        List<Sample> samples = new ArrayList<>();
        for (Source source : family.sources()) {
            metrics.forEach((name, metric) -> source.labelValues(name).ifPresent(labels ->
                samples.add(new Sample(sampleName, source.labelNames(), labels, value.apply(metric)))));
        }
        return new MetricFamilySamples(family.name(), family.type(), family.help(), samples);
    }

    private static double gaugeValue(Gauge<?> gauge) {
        Object value = gauge.getValue();
        if (value instanceof Boolean) {
            return (Boolean) value ? 1 : 0;
        }
        return value instanceof Number ? ((Number) value).doubleValue() : Double.NaN;
    }

    private MetricFamilySamples deliveryTimes() {
        List<Sample> samples = new ArrayList<>();
        Source source = DELIVERY_TIME.sources().get(0);
        double secondsPerNano = 1.0 / TimeUnit.SECONDS.toNanos(1);
        registry.getTimers().forEach((name, timer) -> source.labelValues(name).ifPresent(labels -> {
            Snapshot snapshot = timer.getSnapshot();
            List<String> quantileLabels = ImmutableList.<String>builder().addAll(source.labelNames()).add("quantile").build();
            for (double quantile : QUANTILES) {
                samples.add(new Sample(DELIVERY_TIME.name(), quantileLabels,
                    ImmutableList.<String>builder().addAll(labels).add(Collector.doubleToGoString(quantile)).build(),
                    snapshot.getValue(quantile) * secondsPerNano));
            }
            samples.add(new Sample(DELIVERY_TIME.name() + "_count", source.labelNames(), labels, (double) timer.getCount()));
        }));
        return new MetricFamilySamples(DELIVERY_TIME.name(), DELIVERY_TIME.type(), DELIVERY_TIME.help(), samples);
    }

    private List<MetricFamilySamples> queue() {
        List<String> labelNames = ImmutableList.of("queue", "relay");
        List<Sample> mails = new ArrayList<>();
        List<Sample> oldest = new ArrayList<>();
        Instant now = clock.instant();
        for (RelayBacklog backlog : backlog()) {
            List<String> labels = ImmutableList.of(queue.getQueueName(), backlog.getRelay());
            mails.add(new Sample("split_domain_relay_queue_mails", labelNames, labels, backlog.getMails()));
            oldest.add(new Sample("split_domain_relay_queue_oldest_age_seconds", labelNames, labels,
                Duration.between(backlog.getOldestSince(), now).toMillis() / 1000.0));
        }
        return ImmutableList.of(
            new MetricFamilySamples("split_domain_relay_queue_mails", Collector.Type.GAUGE,
                "Mails on their way to a relay, whichever node queued or tried them, by the relay their next attempt goes to (none: back to James)", mails),
            new MetricFamilySamples("split_domain_relay_queue_oldest_age_seconds", Collector.Type.GAUGE,
                "Age of the mail that waits longest for the relay", oldest));
    }

    // Without a relay engine in this James, or with its waiting room unreadable, the scrape goes on without the queue.
    private List<RelayBacklog> backlog() {
        if (!queue.isSetUp()) {
            return ImmutableList.of();
        }
        try {
            return queue.backlog();
        } catch (Exception e) {
            LOGGER.warn("The relay queue cannot be read for the metrics", e);
            return ImmutableList.of();
        }
    }
}
