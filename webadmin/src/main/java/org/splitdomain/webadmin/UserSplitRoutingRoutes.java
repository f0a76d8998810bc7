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
import static org.splitdomain.webadmin.RequestParsing.badRequest;
import static org.splitdomain.webadmin.RequestParsing.notFound;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.james.webadmin.utils.Responses;
import org.splitdomain.settings.UserRouting;
import org.splitdomain.settings.service.SettingsService;
import org.splitdomain.webadmin.dto.UserRoutingDTO;
import org.splitdomain.webadmin.dto.UserRoutingResponse;

import com.fasterxml.jackson.core.JsonProcessingException;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * Split-routing settings of a user: whether it is a third-party user, and which of its addresses
 * are forwarded to the relay (all of them when {@code forwardedAddresses} is omitted).
 *
 * <pre>
 * PUT    /users/{username}/split-routing   {"thirdParty":true,"forwardedAddresses":["a@example.com"]} → 204, or 200 {"warnings":[…]}
 * GET    /users/{username}/split-routing   → 200 with the effective forwarded addresses, 404 when none
 * DELETE /users/{username}/split-routing   → 204
 * </pre>
 */
public class UserSplitRoutingRoutes implements Routes {
    public static final String BASE_PATH = SplitRoutingPaths.USERS;
    private static final String USERNAME_PARAM = ":username";
    public static final String SPLIT_ROUTING_PATH = BASE_PATH + SEPARATOR + USERNAME_PARAM + SEPARATOR + "split-routing";

    private final SettingsService settings;
    private final JsonTransformer jsonTransformer;

    @Inject
    public UserSplitRoutingRoutes(SettingsService settings, JsonTransformer jsonTransformer) {
        this.settings = settings;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        RequestParsing.refuseRepeatedQueryParameters(service, SPLIT_ROUTING_PATH);
        SettingsAnswers.refusals(service);
        service.put(SPLIT_ROUTING_PATH, this::store);
        service.get(SPLIT_ROUTING_PATH, this::get, jsonTransformer);
        service.delete(SPLIT_ROUTING_PATH, this::delete);
    }

    private String store(Request request, Response response) throws JsonProcessingException {
        Username username = username(request);
        // A user James does not have gets its 404 whatever the body holds.
        settings.checkExistingUser(username);
        UserRoutingDTO requested = RequestParsing.parseBody(UserRoutingDTO.class, request);
        return SettingsAnswers.written(response, settings.setUser(RequestParsing.actor(request), username, requested), jsonTransformer);
    }

    private UserRoutingResponse get(Request request, Response response) {
        Username username = username(request);
        UserRouting routing = settings.userSettings(username)
            .orElseThrow(() -> notFound("User '" + username.asString() + "' has no split-routing settings"));
        return UserRoutingResponse.of(username, routing, settings.forwardedAddresses(username, routing)).withoutUsername();
    }

    private String delete(Request request, Response response) {
        settings.deleteUser(RequestParsing.actor(request), username(request));
        return Responses.returnNoContent(response);
    }

    private static Username username(Request request) {
        String value = request.params(USERNAME_PARAM);
        try {
            return Username.of(value);
        } catch (IllegalArgumentException e) {
            throw badRequest("Invalid username '" + value + "': " + e.getMessage(), e);
        }
    }
}
