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

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;
import org.apache.james.util.streams.Limit;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.james.webadmin.utils.ParametersExtractor;
import org.splitdomain.settings.history.HistoryQuery;
import org.splitdomain.settings.history.SettingsChange;
import org.splitdomain.settings.history.SettingsHistory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * The audit history of split-routing settings, newest first:
 * <pre>
 * GET /split-routing/history[?address=][&amp;domain=][&amp;since=][&amp;limit=][&amp;offset=]
 *     → 200 [{"at","actor","source","kind","subject","before","after"}]
 * </pre>
 * {@code address}: the user of that name and every setting naming it (a forwarded alias); {@code domain}: the domain's
 * settings and its users'; {@code since}: an ISO-8601 time; {@code limit} (default 100, at most 1000) and
 * {@code offset}, as James pages its lists.
 */
public class SplitRoutingHistoryRoutes implements Routes {
    public static final String HISTORY_PATH = SplitRoutingPaths.SPLIT_ROUTING + "/history";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SettingsHistory history;
    private final JsonTransformer jsonTransformer;

    @Inject
    public SplitRoutingHistoryRoutes(SettingsHistory history, JsonTransformer jsonTransformer) {
        this.history = history;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return HISTORY_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(HISTORY_PATH, this::list, jsonTransformer);
    }

    private List<Map<String, Object>> list(Request request, Response response) {
        HistoryQuery query = new HistoryQuery(address(request), domain(request), since(request),
            ParametersExtractor.extractOffset(request).getOffset(), limit(request));
        return history.list(query).stream()
            .map(SplitRoutingHistoryRoutes::describe)
            .collect(ImmutableList.toImmutableList());
    }

    private static Map<String, Object> describe(SettingsChange change) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("at", change.getAt().toString());
        entry.put("actor", change.getActor().orElse(null));
        entry.put("source", change.getSource());
        entry.put("kind", change.getKind().asString());
        entry.put("subject", change.getSubject());
        entry.put("before", change.getBefore().map(SplitRoutingHistoryRoutes::json).orElse(null));
        entry.put("after", change.getAfter().map(SplitRoutingHistoryRoutes::json).orElse(null));
        return entry;
    }

    private static JsonNode json(String stored) {
        try {
            return JSON.readTree(stored);
        } catch (JsonProcessingException e) {
            // Written by us as JSON: shown as the text it is rather than failing the whole listing.
            return JSON.getNodeFactory().textNode(stored);
        }
    }

    private static Optional<String> address(Request request) {
        return Optional.ofNullable(request.queryParams("address")).map(value -> {
            try {
                return new MailAddress(value).asString();
            } catch (AddressException e) {
                throw badRequest("'address' must be a mail address; got '" + value + "'", e);
            }
        });
    }

    private static Optional<String> domain(Request request) {
        return Optional.ofNullable(request.queryParams("domain")).map(value -> RequestParsing.parseDomain(value).asString());
    }

    private static Optional<Instant> since(Request request) {
        return Optional.ofNullable(request.queryParams("since")).map(value -> {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw badRequest("'since' must be a time such as 2026-12-01T10:00:00Z; got '" + value + "'", e);
            }
        });
    }

    private static int limit(Request request) {
        Limit limit = ParametersExtractor.extractLimit(request);
        int value = limit.getLimit().orElse(HistoryQuery.DEFAULT_LIMIT);
        if (value > HistoryQuery.MAX_LIMIT) {
            throw badRequest("'limit' must be at most " + HistoryQuery.MAX_LIMIT + "; got " + value);
        }
        return value;
    }
}
