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

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.inject.Inject;
import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;
import org.apache.james.util.streams.Limit;
import org.apache.james.util.streams.Offset;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.james.webadmin.utils.ParametersExtractor;
import org.splitdomain.mailets.verify.RecipientVerifier;
import org.splitdomain.mailets.verify.Verdict;
import org.splitdomain.route.RouteDecision;
import org.splitdomain.route.RouteExplanation;
import org.splitdomain.route.RouteResolver;
import org.splitdomain.settings.service.SettingsService;
import org.splitdomain.settings.service.SettingsWarnings;
import org.splitdomain.webadmin.dto.DomainRoutingEntry;
import org.splitdomain.webadmin.dto.RouteExplanationDTO;
import org.splitdomain.webadmin.dto.UserRoutingResponse;

import com.google.common.base.Strings;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * Everything that is set, and where a given address would be routed right now.
 *
 * <pre>
 * GET /split-routing/domains[?limit=&offset=]    → 200 [{"domain","relays","forwardUnknown","verifyRecipients"}], by domain name
 * GET /split-routing/users[?limit=&offset=]      → 200 [{"username","thirdParty","forwardedAddresses","forwardsAllAddresses"}], by username
 * GET /split-routing/route?address=a@example.com[&probe=true] → 200 the route decision, computed by the code the matchers use;
 *                                                with probe=true, what the relays answer for each relayed address
 * </pre>
 */
public class SplitRoutingRoutes implements Routes {
    public static final String BASE_PATH = SplitRoutingPaths.SPLIT_ROUTING;
    public static final String DOMAINS_PATH = BASE_PATH + "/domains";
    public static final String USERS_PATH = BASE_PATH + "/users";
    public static final String ROUTE_PATH = BASE_PATH + "/route";

    private final SettingsService settings;
    private final RouteResolver routeResolver;
    private final SettingsWarnings settingsWarnings;
    private final RecipientVerifier verifier;
    private final JsonTransformer jsonTransformer;

    @Inject
    public SplitRoutingRoutes(SettingsService settings, RouteResolver routeResolver, SettingsWarnings settingsWarnings,
                              RecipientVerifier verifier, JsonTransformer jsonTransformer) {
        this.settings = settings;
        this.routeResolver = routeResolver;
        this.settingsWarnings = settingsWarnings;
        this.verifier = verifier;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        // Every route under /split-routing, whichever class defines it.
        RequestParsing.refuseRepeatedQueryParameters(service, BASE_PATH + "/*");
        SettingsAnswers.refusals(service);
        service.get(DOMAINS_PATH, this::listDomains, jsonTransformer);
        service.get(USERS_PATH, this::listUsers, jsonTransformer);
        service.get(ROUTE_PATH, this::explain, jsonTransformer);
    }

    // James's paging (limit and offset, as its mail repository and mail queue routes take them): a page of a
    // sorted list, so that pages do not overlap while nothing changes.
    private static <T> Stream<T> page(Request request, List<T> sorted) {
        Limit limit = ParametersExtractor.extractLimit(request);
        Offset offset = ParametersExtractor.extractOffset(request);
        return limit.applyOnStream(sorted.stream().skip(offset.getOffset()));
    }

    private List<DomainRoutingEntry> listDomains(Request request, Response response) {
        return page(request, settings.domainsByName())
            .map(entry -> DomainRoutingEntry.from(entry.getKey(), entry.getValue()))
            .collect(ImmutableList.toImmutableList());
    }

    // Only the users of the page have their addresses looked up in James's mappings.
    private List<UserRoutingResponse> listUsers(Request request, Response response) {
        return page(request, settings.usersByName())
            .map(entry -> UserRoutingResponse.of(entry.getKey(), entry.getValue(), settings.forwardedAddresses(entry.getKey(), entry.getValue())))
            .collect(ImmutableList.toImmutableList());
    }

    private RouteExplanationDTO explain(Request request, Response response) {
        String value = request.queryParams("address");
        if (Strings.isNullOrEmpty(value)) {
            throw badRequest("'address' query parameter is mandatory");
        }
        MailAddress address;
        try {
            address = new MailAddress(value);
        } catch (AddressException e) {
            throw badRequest("'" + value + "' is not a valid mail address: " + e.getMessage(), e);
        }
        boolean probe = RequestParsing.booleanQueryParam(request, "probe");
        RouteExplanation explanation = routeResolver.explain(address);
        List<String> warnings = settingsWarnings.ofExplanation(explanation);
        if (!probe) {
            return RouteExplanationDTO.from(explanation, warnings);
        }
        Map<MailAddress, Verdict> probes = explanation.getDecisions().stream()
            .filter(RouteDecision::isRelay)
            .collect(ImmutableMap.toImmutableMap(RouteDecision::getAddress,
                decision -> verifier.probe(decision.getAddress(), decision.getRelays()), (first, second) -> first));
        return RouteExplanationDTO.from(explanation, warnings, probes);
    }
}
