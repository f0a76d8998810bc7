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

import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.webadmin.PublicRoutes;
import org.apache.james.webadmin.WebAdminConfiguration;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import spark.Request;
import spark.Service;

/**
 * Makes {@code cors.enable=false} in {@code webadmin.properties} mean what it says. James 3.8.1 turns CORS on
 * for every enabled WebAdmin ({@code Access-Control-Allow-Origin: *} on every answer) whatever that key says;
 * with it off, this refuses every request a web page of another origin makes ({@code 403}, before any route
 * runs: a cross-site form or {@code text/plain} POST changes nothing) and strips James's CORS headers from
 * every answer. Requests without an {@code Origin} header (curl, scripts) and same-origin ones are untouched.
 * With {@code cors.enable=true} it does nothing. List it in {@code extensions.routes}.
 */
public class CrossOriginRefusal implements PublicRoutes {
    private static final Logger LOGGER = LoggerFactory.getLogger(CrossOriginRefusal.class);
    private static final List<String> CORS_HEADERS = List.of("Access-Control-Allow-Origin", "Access-Control-Allow-Methods",
        "Access-Control-Allow-Headers", "Access-Control-Request-Method");

    private final boolean corsEnabled;

    @Inject
    public CrossOriginRefusal(WebAdminConfiguration configuration) {
        this.corsEnabled = configuration.isEnableCORS();
    }

    @Override
    public String getBasePath() {
        return "/";
    }

    @Override
    public void define(Service service) {
        if (corsEnabled) {
            return;
        }
        service.before((request, response) -> foreignOrigin(request).ifPresent(origin -> {
            LOGGER.info("WebAdmin refused {} {} from a web page of {}: CORS is off", request.requestMethod(), request.pathInfo(), origin);
            throw ErrorResponder.builder()
                .statusCode(HttpStatus.FORBIDDEN_403)
                .type(ErrorResponder.ErrorType.WRONG_STATE)
                .message("Cross-origin requests are refused: WebAdmin has CORS off (cors.enable=false in webadmin.properties), and %s is not its origin", origin)
                .haltError();
        }));
        // afterAfter runs on halted answers too (401, 403, 404...): none of them may carry a CORS grant.
        service.afterAfter((request, response) -> CORS_HEADERS.forEach(header -> response.raw().setHeader(header, null)));
    }

    private static Optional<String> foreignOrigin(Request request) {
        return Optional.ofNullable(request.headers("Origin"))
            .filter(origin -> !origin.equalsIgnoreCase(request.scheme() + "://" + request.headers("Host")));
    }
}
