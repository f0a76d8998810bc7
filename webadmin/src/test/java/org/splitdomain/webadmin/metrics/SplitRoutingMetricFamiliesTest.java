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

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Collections;

import org.junit.jupiter.api.Test;
import org.splitdomain.mailets.relay.RelayQueue;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;

import io.prometheus.client.exporter.common.TextFormat;

/**
 * James's metric names, as our classes register them in James's DropWizard registry, become Prometheus families
 * with labels; James's own metrics and names of ours that match no family stay out.
 */
class SplitRoutingMetricFamiliesTest {
    // A James without SplitRoutingRemoteDelivery: the relay queue is never set up, so its parts are never asked for.
    private static final RelayQueue NO_RELAY_QUEUE = new RelayQueue(null, null, null, null);

    private final MetricRegistry registry = new MetricRegistry();

    private String scrape() throws IOException {
        StringWriter text = new StringWriter();
        TextFormat.write004(text, Collections.enumeration(
            new SplitRoutingMetricFamilies(registry, NO_RELAY_QUEUE, Clock.systemUTC()).collect()));
        return text.toString();
    }

    @Test
    void recipientVerificationFiguresShouldGetTheirRelayAndResultLabels() throws IOException {
        registry.meter("splitDomainVerifyProbes.mx-old.example.com:25").mark(3);
        registry.meter("splitDomainVerifyAnswers.refused").mark(2);
        registry.meter("splitDomainVerifyCacheHits").mark(5);
        registry.register("splitDomainVerifyCircuitOpen.mx-old.example.com:25", (Gauge<Integer>) () -> 1);

        assertThat(scrape()).contains(
            "split_domain_verify_probes_total{relay=\"mx-old.example.com:25\",} 3.0\n",
            "split_domain_verify_answers_total{result=\"refused\",} 2.0\n",
            "split_domain_verify_cache_hits_total 5.0\n",
            "# TYPE split_domain_verify_circuit_open gauge\n",
            "split_domain_verify_circuit_open{relay=\"mx-old.example.com:25\",} 1.0\n");
    }

    @Test
    void aRelayDeliveryTimerShouldBeASummaryInSeconds() throws IOException {
        registry.timer("splitDomainRelayDelivery.mx2.example.com:25").update(java.time.Duration.ofMillis(1500));

        assertThat(scrape()).contains(
            "# TYPE split_domain_relay_delivery_seconds summary\n",
            "split_domain_relay_delivery_seconds{relay=\"mx2.example.com:25\",quantile=\"0.5\",} 1.5\n",
            "split_domain_relay_delivery_seconds_count{relay=\"mx2.example.com:25\",} 1.0\n");
    }

    @Test
    void otherMetricsShouldStayOut() throws IOException {
        registry.meter("imapConnections").mark();
        registry.meter("splitDomainRelayDeliveredSomethingElse").mark();
        registry.meter("splitDomainRelayedRecipientsX").mark();

        assertThat(scrape()).doesNotContain("imap", "SomethingElse", "RecipientsX")
            .doesNotContain("split_domain_relay_recipients_total{");
    }
}
