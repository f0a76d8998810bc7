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

import java.io.IOException;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Collections;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.splitdomain.mailets.relay.RelayQueue;
import org.splitdomain.webadmin.SplitRoutingPaths;

import com.codahale.metrics.MetricRegistry;

import io.prometheus.client.exporter.common.TextFormat;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * {@code GET /split-routing/metrics}: the split-domain figures in Prometheus's text format, for a scrape.
 * Unlike James's own {@code /metrics} route (public, when enabled), it sits behind WebAdmin's authentication
 * like every split-routing route: give Prometheus the token ({@code authorization: {credentials: …}}).
 */
public class SplitRoutingMetricsRoutes implements Routes {
    public static final String METRICS_PATH = SplitRoutingPaths.SPLIT_ROUTING + "/metrics";

    private final SplitRoutingMetricFamilies families;

    @Inject
    public SplitRoutingMetricsRoutes(MetricRegistry registry, RelayQueue queue) {
        this.families = new SplitRoutingMetricFamilies(registry, queue, Clock.systemUTC());
    }

    @Override
    public String getBasePath() {
        return METRICS_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(METRICS_PATH, this::scrape);
    }

    private String scrape(Request request, Response response) throws IOException {
        StringWriter text = new StringWriter();
        TextFormat.write004(text, Collections.enumeration(families.collect()));
        response.status(200);
        response.type(TextFormat.CONTENT_TYPE_004);
        return text.toString();
    }
}
