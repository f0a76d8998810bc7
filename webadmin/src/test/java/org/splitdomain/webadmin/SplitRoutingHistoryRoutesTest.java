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

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static io.restassured.RestAssured.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.splitdomain.webadmin.SplitRoutingTestSystem.assertJsonEquals;
import static org.splitdomain.webadmin.SplitRoutingTestSystem.getBody;

import java.time.Instant;
import java.util.Map;

import org.apache.james.rrt.lib.MappingSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/** What the history route lists after writes through the other routes: the changes an operator made, as they made them. */
class SplitRoutingHistoryRoutesTest {
    private static final String HISTORY = "/split-routing/history";

    private SplitRoutingTestSystem system;

    @BeforeEach
    void setUp() throws Exception {
        system = new SplitRoutingTestSystem();
        RestAssured.requestSpecification = system.requestSpecification();
    }

    @AfterEach
    void tearDown() {
        system.close();
    }

    private static void put(String path, String body) {
        given().body(body).put(path).then().statusCode(org.hamcrest.Matchers.oneOf(200, 204));
    }

    @Test
    void everyChangeShouldBeListedNewestFirstWithTheSettingsBeforeAndAfter() {
        Instant start = Instant.now();
        put("/domains/example.com/split-routing", "{\"relays\":[\"mx2.example.com\"]}");
        put("/users/bob@example.com/split-routing", "{\"thirdParty\":true}");
        put("/users/bob@example.com/split-routing", "{\"thirdParty\":true,\"forwardedAddresses\":[\"bob@example.com\"]}");
        when().delete("/users/bob@example.com/split-routing").then().statusCode(204);

        JsonPath history = JsonPath.from(getBody(HISTORY));

        assertThat(history.getList("subject")).containsExactly("bob@example.com", "bob@example.com", "bob@example.com", "example.com");
        assertThat(history.getList("source")).containsOnly("webadmin");
        assertThat(history.getList("kind")).containsExactly("user", "user", "user", "domain");
        Map<String, Object> removal = history.getMap("[0]");
        assertThat(removal).containsEntry("actor", null).containsEntry("after", null)
            .containsEntry("before", Map.of("thirdParty", true, "forwardedAddresses", java.util.List.of("bob@example.com")));
        assertThat(history.getMap("[1]")).containsEntry("before", Map.of("thirdParty", true))
            .containsEntry("after", Map.of("thirdParty", true, "forwardedAddresses", java.util.List.of("bob@example.com")));
        assertThat(history.getMap("[3]")).containsEntry("before", null)
            .containsEntry("after", Map.of("relays", java.util.List.of("mx2.example.com:25"), "forwardUnknown", false, "verifyRecipients", false));
        assertThat(Instant.parse(history.getString("[3].at"))).isBetween(start.minusSeconds(1), Instant.now());
    }

    @Test
    void aWriteThatChangesNothingShouldNotBeListed() {
        put("/users/bob@example.com/split-routing", "{\"thirdParty\":true}");
        put("/users/bob@example.com/split-routing", "{\"thirdParty\":true}");
        when().delete("/users/alice@example.com/split-routing").then().statusCode(204);

        assertThat(JsonPath.from(getBody(HISTORY)).getList("subject")).containsExactly("bob@example.com");
    }

    @Test
    void anImportShouldBeListedEntryByEntryAndADryRunNotAtAll() {
        String document = "{\"domains\":[{\"domain\":\"example.com\",\"relays\":[\"mx2.example.com\"]}],"
            + "\"users\":[{\"username\":\"bob@example.com\",\"thirdParty\":true}]}";
        with().body(document).post("/split-routing/import?dryRun=true").then().statusCode(200);
        assertThat(JsonPath.from(getBody(HISTORY)).getList("$")).isEmpty();

        with().body(document).post("/split-routing/import").then().statusCode(200);

        JsonPath history = JsonPath.from(getBody(HISTORY));
        assertThat(history.getList("source")).containsOnly("import");
        assertThat(history.getList("subject")).containsExactlyInAnyOrder("example.com", "bob@example.com");
    }

    @Test
    void anImportOfMoreChangesThanTheDetailedLimitShouldBeListedAsOneEntryOfCounts() {
        with().body("{\"domains\":[{\"domain\":\"example.com\",\"relays\":[\"mx2.example.com\"]},{\"domain\":\"other.com\",\"relays\":[\"mx2.example.com\"]}],"
                + "\"users\":[{\"username\":\"bob@example.com\",\"thirdParty\":true},{\"username\":\"alice@example.com\",\"thirdParty\":false}]}")
            .post("/split-routing/import").then().statusCode(200);

        String history = getBody(HISTORY);
        assertThat(JsonPath.from(history).getList("kind")).containsExactly("all");
        assertJsonEquals(JsonPath.from(history).prettify().replaceAll("\"at\": \"[^\"]+\"", "\"at\": \"T\""),
            "[{\"at\":\"T\",\"actor\":null,\"source\":\"import\",\"kind\":\"all\",\"subject\":\"*\",\"before\":null,"
                + "\"after\":{\"mode\":\"merge\",\"added\":{\"domains\":2,\"users\":2},\"changed\":{\"domains\":0,\"users\":0},"
                + "\"removed\":{\"domains\":0,\"users\":0},\"unchanged\":{\"domains\":0,\"users\":0}}}]");
    }

    @Test
    void filtersShouldSelectByAddressDomainAndTimeAndPagesFollowEachOther() throws Exception {
        put("/domains/other.com/split-routing", "{\"relays\":[\"mx2.example.com\"]}");
        put("/users/alice@example.com/split-routing", "{\"thirdParty\":true}");
        Instant afterAlice = Instant.now();
        system.recipientRewriteTable.addAliasMapping(MappingSource.fromUser("alias", "example.com"), "bob@example.com");
        put("/users/bob@example.com/split-routing", "{\"thirdParty\":true,\"forwardedAddresses\":[\"alias@example.com\"]}");

        assertThat(JsonPath.from(getBody(HISTORY + "?address=alias@example.com")).getList("subject")).containsExactly("bob@example.com");
        assertThat(JsonPath.from(getBody(HISTORY + "?domain=example.com")).getList("subject"))
            .containsExactly("bob@example.com", "alice@example.com");
        assertThat(JsonPath.from(getBody(HISTORY + "?since=" + afterAlice)).getList("subject")).containsExactly("bob@example.com");
        assertThat(JsonPath.from(getBody(HISTORY + "?limit=1&offset=1")).getList("subject")).containsExactly("alice@example.com");
    }

    @Test
    void badParametersShouldBeNamed() {
        when().get(HISTORY + "?since=yesterday").then().statusCode(400)
            .body("message", is("'since' must be a time such as 2026-12-01T10:00:00Z; got 'yesterday'"));
        when().get(HISTORY + "?limit=1001").then().statusCode(400).body("message", is("'limit' must be at most 1000; got 1001"));
        when().get(HISTORY + "?address=not-an-address").then().statusCode(400)
            .body("message", is("'address' must be a mail address; got 'not-an-address'"));
        when().get(HISTORY + "?domain=bad_domain!").then().statusCode(400)
            .body("message", org.hamcrest.Matchers.startsWith("Invalid domain 'bad_domain!'"));
        when().get(HISTORY + "?limit=0").then().statusCode(400);
    }
}
