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
package org.splitdomain.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Scale of the settings, against a running James with the extension, through WebAdmin only:
 * <ol>
 *     <li>creates {@code users} users with James's own {@code PUT /users/{user}} (the baseline: what
 *     provisioning those users already costs an operator);</li>
 *     <li>imports one split-routing setting per user in one {@code POST /split-routing/import}
 *     (every tenth user forwards a chosen address, the others all their addresses);</li>
 *     <li>changes one user's setting and reads its route at once, {@code changes} times: how long a
 *     change takes and whether the very next decision already follows it.</li>
 * </ol>
 * Prints {@code key=value} lines for {@code benchmarks/run.sh}.
 *
 * <pre>java ... SettingsLoad &lt;webadmin port&gt; &lt;users&gt; &lt;changes&gt; &lt;webadmin token&gt;</pre>
 */
public final class SettingsLoad {
    private static final String DOMAIN = "scale.example";
    // One at a time: James 3.8.1's memory users repository keeps users in a plain HashMap, and
    // parallel PUT /users lost some of 100 K users here (the import then named one that did not exist).
    private static final int PARALLEL_REQUESTS = 1;

    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;
    private final String token;

    private SettingsLoad(int port, String token) {
        this.baseUrl = "http://127.0.0.1:" + port;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        SettingsLoad load = new SettingsLoad(Integer.parseInt(args[0]), args[3]);
        int users = Integer.parseInt(args[1]);
        int changes = Integer.parseInt(args[2]);

        load.send("PUT", "/domains/" + DOMAIN, "", 204);
        double createSeconds = seconds(() -> load.createUsers(users));
        String document = importDocument(users);
        double importSeconds = seconds(() -> load.send("POST", "/split-routing/import", document, 200));
        load.changesTakeEffectAtOnce(changes);

        System.out.printf("users=%d%n", users);
        System.out.printf("import_bytes=%d%n", document.length());
        System.out.printf("create_users_s=%.2f%n", createSeconds);
        System.out.printf("import_s=%.2f%n", importSeconds);
    }

    private void createUsers(int count) throws Exception {
        Semaphore inFlight = new Semaphore(PARALLEL_REQUESTS);
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            inFlight.acquire();
            pending.add(http.sendAsync(request("PUT", "/users/" + user(index), "{\"password\":\"secret\"}"), HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, error) -> inFlight.release()));
        }
        for (CompletableFuture<HttpResponse<String>> response : pending) {
            expect(response.join(), 204, "PUT /users");
        }
    }

    private static String importDocument(int count) {
        return IntStream.range(0, count)
            .mapToObj(index -> index % 10 == 0
                ? "{\"username\":\"" + user(index) + "\",\"thirdParty\":true,\"forwardedAddresses\":[\"" + user(index) + "\"]}"
                : "{\"username\":\"" + user(index) + "\",\"thirdParty\":true}")
            .collect(Collectors.joining(",",
                "{\"domains\":[{\"domain\":\"" + DOMAIN + "\",\"relays\":[\"127.0.0.1:9\"]}],\"users\":[", "]}"));
    }

    private void changesTakeEffectAtOnce(int changes) throws Exception {
        List<Double> changeMillis = new ArrayList<>();
        int followedAtOnce = 0;
        for (int index = 0; index < changes; index++) {
            String username = user(index);
            boolean thirdParty = index % 2 == 1;
            long start = System.nanoTime();
            send("PUT", "/users/" + username + "/split-routing", "{\"thirdParty\":" + thirdParty + "}", 204);
            changeMillis.add((System.nanoTime() - start) / 1e6);
            String route = send("GET", "/split-routing/route?address=" + username, "", 200);
            if (route.contains("\"route\":\"" + (thirdParty ? "relay" : "local") + "\"")) {
                followedAtOnce++;
            }
        }
        Collections.sort(changeMillis);
        System.out.printf("changes=%d%n", changes);
        System.out.printf("change_median_ms=%.2f%n", changeMillis.get(changes / 2));
        System.out.printf("change_max_ms=%.2f%n", changeMillis.get(changes - 1));
        System.out.printf("followed_at_once=%d%n", followedAtOnce);
    }

    private static String user(int index) {
        return "user" + index + "@" + DOMAIN;
    }

    private HttpRequest request(String method, String path, String body) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + token)
            .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .build();
    }

    private String send(String method, String path, String body, int expectedStatus) throws Exception {
        return expect(http.send(request(method, path, body), HttpResponse.BodyHandlers.ofString()), expectedStatus, method + " " + path);
    }

    private static String expect(HttpResponse<String> response, int expectedStatus, String what) {
        if (response.statusCode() != expectedStatus) {
            throw new IllegalStateException(what + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private interface Step {
        void run() throws Exception;
    }

    private static double seconds(Step step) throws Exception {
        long start = System.nanoTime();
        step.run();
        return (System.nanoTime() - start) / 1e9;
    }
}
