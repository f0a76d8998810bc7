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

import static org.apache.james.webadmin.Constants.SEPARATOR;
import static org.splitdomain.webadmin.RequestParsing.notFound;

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.james.webadmin.utils.Responses;
import org.splitdomain.settings.service.SettingsService;
import org.splitdomain.webadmin.dto.DomainRoutingDTO;

import com.fasterxml.jackson.core.JsonProcessingException;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * Split-routing settings of a domain: its relays and whether it forwards unknown addresses.
 *
 * <pre>
 * PUT    /domains/{domain}/split-routing   {"relays":["mx2.example.com:25",{"relay":"smtp.partner.example:587","tls":"verify","credential":"partner"}],"forwardUnknown":true} → 204
 * GET    /domains/{domain}/split-routing   → 200 the settings, 404 when none
 * DELETE /domains/{domain}/split-routing   → 204
 * </pre>
 */
public class DomainSplitRoutingRoutes implements Routes {
    public static final String BASE_PATH = SplitRoutingPaths.DOMAINS;
    private static final String DOMAIN_PARAM = ":domain";
    public static final String SPLIT_ROUTING_PATH = BASE_PATH + SEPARATOR + DOMAIN_PARAM + SEPARATOR + "split-routing";

    private final SettingsService settings;
    private final JsonTransformer jsonTransformer;

    @Inject
    public DomainSplitRoutingRoutes(SettingsService settings, JsonTransformer jsonTransformer) {
        this.settings = settings;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        // The relay test under it too.
        RequestParsing.refuseRepeatedQueryParameters(service, SPLIT_ROUTING_PATH, SPLIT_ROUTING_PATH + "/*");
        SettingsAnswers.refusals(service);
        service.put(SPLIT_ROUTING_PATH, this::store);
        service.get(SPLIT_ROUTING_PATH, this::get, jsonTransformer);
        service.delete(SPLIT_ROUTING_PATH, this::delete);
    }

    private String store(Request request, Response response) throws JsonProcessingException {
        Domain domain = domain(request);
        // A domain James does not manage gets its 404 whatever the body holds.
        settings.checkManagedDomain(domain);
        DomainRoutingDTO requested = RequestParsing.parseBody(DomainRoutingDTO.class, request);
        return SettingsAnswers.written(response, settings.setDomain(RequestParsing.actor(request), domain, requested), jsonTransformer);
    }

    private DomainRoutingDTO get(Request request, Response response) {
        Domain domain = domain(request);
        return settings.domainSettings(domain)
            .map(DomainRoutingDTO::from)
            .orElseThrow(() -> notFound("Domain '" + domain.asString() + "' has no split-routing settings"));
    }

    private String delete(Request request, Response response) {
        settings.deleteDomain(RequestParsing.actor(request), domain(request));
        return Responses.returnNoContent(response);
    }

    private static Domain domain(Request request) {
        return RequestParsing.parseDomain(request.params(DOMAIN_PARAM));
    }
}
