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
package org.splitdomain.webadmin.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.james.webadmin.PublicRoutes;

import com.google.common.collect.ImmutableMap;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * The split-domain console: one page, its script and its style sheet, served by WebAdmin. The page holds no data:
 * its script calls WebAdmin's split-routing routes with the token the administrator enters, so every value it
 * shows or changes goes through WebAdmin's authentication like a curl line would. The files themselves are public
 * (a browser cannot send a bearer token when it opens a page), and may not be framed by another site.
 */
public class SplitRoutingConsoleRoutes implements PublicRoutes {
    public static final String CONSOLE_PATH = "/split-domain-console";

    private record Asset(String contentType, byte[] content) {
    }

    private static final Map<String, Asset> ASSETS = ImmutableMap.of(
        CONSOLE_PATH, asset("console.html", "text/html; charset=utf-8"),
        CONSOLE_PATH + "/console.js", asset("console.js", "text/javascript; charset=utf-8"),
        CONSOLE_PATH + "/console.css", asset("console.css", "text/css; charset=utf-8"));

    private static Asset asset(String name, String contentType) {
        try (InputStream content = SplitRoutingConsoleRoutes.class.getResourceAsStream(name)) {
            if (content == null) {
                throw new IllegalStateException("The console's " + name + " is missing from the extension jar");
            }
            return new Asset(contentType, content.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the console's " + name, e);
        }
    }

    @Override
    public String getBasePath() {
        return CONSOLE_PATH;
    }

    @Override
    public void define(Service service) {
        ASSETS.keySet().forEach(path -> service.get(path, this::serve));
    }

    private String serve(Request request, Response response) {
        Asset asset = ASSETS.get(request.pathInfo());
        response.status(200);
        response.type(asset.contentType());
        // Scripts and styles of this origin only, never inside another site's frame, nothing cached.
        response.header("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'");
        response.header("X-Frame-Options", "DENY");
        response.header("X-Content-Type-Options", "nosniff");
        response.header("Referrer-Policy", "no-referrer");
        response.header("Cache-Control", "no-store");
        return new String(asset.content(), StandardCharsets.UTF_8);
    }
}
