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
package org.splitdomain.webadmin;

import static org.splitdomain.webadmin.RequestParsing.badRequest;

import java.util.Map;

import javax.inject.Inject;

import org.apache.james.task.TaskManager;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.tasks.TaskFromRequest;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.splitdomain.mailets.verify.RecipientVerificationConfiguration;
import org.splitdomain.mailets.verify.RecipientVerifier;
import org.splitdomain.webadmin.consistency.PartnerConsistencyTask;

import com.google.common.collect.ImmutableMap;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * Recipient verification as this node runs it, and the partner consistency check.
 *
 * <pre>
 * GET    /split-routing/verification         → 200 {"rcptBudget","probeTimeout","positiveLifetime","negativeLifetime","cacheSize",
 *                                                   "circuitFailures","circuitOpenTime","probesPerRelay","clientProbesPerMinute",
 *                                                   "clientProbesInFlight","openCircuits":{relay:until}}
 * DELETE /split-routing/verification/cache   → 200 {"forgotten":n}: every cached answer of this node is dropped
 * POST   /split-routing/consistency-check[?probesPerSecond=10] → 201 {"taskId"}: James's task API; the report is in
 *                                                   GET /tasks/{taskId}, under additionalInformation
 * </pre>
 */
public class SplitRoutingVerificationRoutes implements Routes {
    public static final String VERIFICATION_PATH = SplitRoutingPaths.SPLIT_ROUTING + "/verification";
    public static final String CACHE_PATH = VERIFICATION_PATH + "/cache";
    public static final String CONSISTENCY_CHECK_PATH = SplitRoutingPaths.SPLIT_ROUTING + "/consistency-check";
    static final String PROBES_PER_SECOND = "probesPerSecond";

    private final RecipientVerifier verifier;
    private final TaskManager taskManager;
    private final PartnerConsistencyTask.Dependencies dependencies;
    private final JsonTransformer jsonTransformer;

    @Inject
    public SplitRoutingVerificationRoutes(RecipientVerifier verifier, TaskManager taskManager,
                                          PartnerConsistencyTask.Dependencies dependencies, JsonTransformer jsonTransformer) {
        this.verifier = verifier;
        this.taskManager = taskManager;
        this.dependencies = dependencies;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return SplitRoutingPaths.SPLIT_ROUTING;
    }

    @Override
    public void define(Service service) {
        service.get(VERIFICATION_PATH, this::settings, jsonTransformer);
        service.delete(CACHE_PATH, (request, response) -> ImmutableMap.of("forgotten", verifier.forget()), jsonTransformer);
        TaskFromRequest consistencyCheck = this::consistencyCheck;
        service.post(CONSISTENCY_CHECK_PATH, consistencyCheck.asRoute(taskManager), jsonTransformer);
    }

    private Map<String, Object> settings(Request request, Response response) {
        RecipientVerificationConfiguration configuration = verifier.getConfiguration();
        return ImmutableMap.<String, Object>builder()
            .put("rcptBudget", RecipientVerificationConfiguration.asString(configuration.getRcptBudget()))
            .put("probeTimeout", RecipientVerificationConfiguration.asString(configuration.getProbeTimeout()))
            .put("positiveLifetime", RecipientVerificationConfiguration.asString(configuration.getPositiveLifetime()))
            .put("negativeLifetime", RecipientVerificationConfiguration.asString(configuration.getNegativeLifetime()))
            .put("cacheSize", configuration.getCacheSize())
            .put("circuitFailures", configuration.getCircuitFailures())
            .put("circuitOpenTime", RecipientVerificationConfiguration.asString(configuration.getCircuitOpenTime()))
            .put("probesPerRelay", configuration.getProbesPerRelay())
            .put("clientProbesPerMinute", configuration.getClientProbesPerMinute())
            .put("clientProbesInFlight", configuration.getClientProbesInFlight())
            .put("openCircuits", verifier.openCircuits().entrySet().stream()
                .collect(ImmutableMap.toImmutableMap(Map.Entry::getKey, entry -> entry.getValue().toString())))
            .build();
    }

    private PartnerConsistencyTask consistencyCheck(Request request) {
        String value = request.queryParams(PROBES_PER_SECOND);
        if (value == null) {
            return new PartnerConsistencyTask(dependencies, PartnerConsistencyTask.DEFAULT_PROBES_PER_SECOND);
        }
        try {
            double probesPerSecond = Double.parseDouble(value);
            if (!(probesPerSecond > 0) || Double.isInfinite(probesPerSecond)) {
                throw new NumberFormatException();
            }
            return new PartnerConsistencyTask(dependencies, probesPerSecond);
        } catch (NumberFormatException e) {
            throw badRequest("'" + PROBES_PER_SECOND + "' must be a number more than 0; got '" + value + "'");
        }
    }
}
