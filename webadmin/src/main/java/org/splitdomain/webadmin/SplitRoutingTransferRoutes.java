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

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.splitdomain.settings.service.ImportReport;
import org.splitdomain.settings.service.SettingsImport;
import org.splitdomain.settings.service.SettingsService;
import org.splitdomain.webadmin.dto.DomainRoutingEntry;
import org.splitdomain.webadmin.dto.SplitRoutingSettingsDTO;
import org.splitdomain.webadmin.dto.UserRoutingEntry;

import com.google.common.collect.ImmutableList;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * All settings in one JSON document: to move them between James flavours (memory, JPA,
 * distributed), to back them up, and to load many users at once.
 *
 * <pre>
 * GET  /split-routing/export → 200 {"domains":[{"domain","relays","forwardUnknown"}],"users":[{"username","thirdParty","forwardedAddresses"?}]}
 * POST /split-routing/import[?mode=merge|replace][&amp;dryRun=true]   the same document
 *      → 200 {"domains":n,"users":m,"mode","dryRun","added","changed","removed","unchanged","warnings"[,"diff"]}
 * </pre>
 *
 * <p>The import checks every entry before writing any: bad entries get one 400 naming each of them, and nothing is
 * written. It adds and replaces settings; settings it does not mention are kept, or removed in replace mode. A dry
 * run writes nothing and answers, entry by entry, what the import would change.</p>
 */
public class SplitRoutingTransferRoutes implements Routes {
    public static final String EXPORT_PATH = SplitRoutingPaths.SPLIT_ROUTING + "/export";
    public static final String IMPORT_PATH = SplitRoutingPaths.SPLIT_ROUTING + "/import";

    private final SettingsService settings;
    private final JsonTransformer jsonTransformer;

    @Inject
    public SplitRoutingTransferRoutes(SettingsService settings, JsonTransformer jsonTransformer) {
        this.settings = settings;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return SplitRoutingPaths.SPLIT_ROUTING;
    }

    @Override
    public void define(Service service) {
        SettingsAnswers.refusals(service);
        service.get(EXPORT_PATH, this::export, jsonTransformer);
        service.post(IMPORT_PATH, this::importSettings, jsonTransformer);
    }

    private SplitRoutingSettingsDTO export(Request request, Response response) {
        return new SplitRoutingSettingsDTO(
            settings.domainsByName().stream()
                .map(entry -> DomainRoutingEntry.from(entry.getKey(), entry.getValue()))
                .collect(ImmutableList.toImmutableList()),
            settings.usersByName().stream()
                .map(entry -> UserRoutingEntry.from(entry.getKey(), entry.getValue()))
                .collect(ImmutableList.toImmutableList()));
    }

    private Map<String, Object> importSettings(Request request, Response response) {
        boolean dryRun = RequestParsing.booleanQueryParam(request, "dryRun");
        SettingsImport.Mode mode = mode(request.queryParams("mode"));
        SplitRoutingSettingsDTO document = RequestParsing.parseBody(SplitRoutingSettingsDTO.class, request);
        ImportReport report = settings.importSettings(RequestParsing.actor(request),
            new SettingsImport(document.getDomains(), document.getUsers(), mode, dryRun));

        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("domains", report.getDomains());
        answer.put("users", report.getUsers());
        answer.put("mode", report.getMode().asString());
        answer.put("dryRun", report.isDryRun());
        answer.putAll(report.getChanges());
        answer.put("warnings", report.getWarnings());
        report.getDiff().ifPresent(diff -> answer.put("diff", diff));
        return answer;
    }

    private static SettingsImport.Mode mode(String value) {
        if (value == null) {
            return SettingsImport.Mode.MERGE;
        }
        return Arrays.stream(SettingsImport.Mode.values())
            .filter(mode -> mode.asString().equals(value))
            .findFirst()
            .orElseThrow(() -> badRequest("'mode' must be merge or replace; got '" + value + "'"));
    }
}
