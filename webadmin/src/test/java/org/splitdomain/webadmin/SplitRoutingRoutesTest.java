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
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.splitdomain.webadmin.SplitRoutingTestSystem.ALICE;
import static org.splitdomain.webadmin.SplitRoutingTestSystem.BOB;
import static org.splitdomain.webadmin.SplitRoutingTestSystem.EXAMPLE_COM;
import static org.splitdomain.webadmin.SplitRoutingTestSystem.OTHER_COM;
import static org.splitdomain.webadmin.SplitRoutingTestSystem.UNMANAGED_COM;
import static org.splitdomain.webadmin.SplitRoutingTestSystem.assertJsonEquals;
import static org.splitdomain.webadmin.SplitRoutingTestSystem.getBody;

import java.util.List;
import java.util.Map;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.rrt.lib.MappingSource;
import org.eclipse.jetty.http.HttpStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.UserRouting;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

class SplitRoutingRoutesTest {
    private static final RelayHost MX2 = RelayHost.of("mx2.example.com", 25);
    private static final RelayHost MX_OTHER = RelayHost.of("mx.other.com", 2525);

    private SplitRoutingTestSystem system;

    @BeforeEach
    void setUp() throws Exception {
        system = new SplitRoutingTestSystem();
        system.recipientRewriteTable.addAliasMapping(MappingSource.fromUser("alias", "example.com"), BOB.asString());
        RestAssured.requestSpecification = system.requestSpecification();
    }

    @AfterEach
    void tearDown() {
        system.close();
    }

    private String route(String address) {
        return given()
            .queryParam("address", address)
        .when()
            .get("/split-routing/route")
        .then()
            .statusCode(HttpStatus.OK_200)
            .contentType(ContentType.JSON)
            .extract()
            .body()
            .asString();
    }

    private void splitDomain(boolean forwardUnknown) {
        system.store.storeDomainRouting(EXAMPLE_COM, DomainRouting.of(ImmutableList.of(MX2), forwardUnknown));
    }

    private static Map<String, Object> decision(String address, String route, List<String> relays, String rule, String reason) {
        return ImmutableMap.of("address", address, "route", route, "relays", relays, "rule", rule, "reason", reason);
    }

    @Nested
    class ListDomains {
        @Test
        void listDomainsShouldReturnEmptyArrayWhenNothingIsSet() {
            assertJsonEquals(getBody("/split-routing/domains"), "[]");
        }

        @Test
        void listDomainsShouldReturnSettingsSortedByDomain() {
            given().body("{\"relays\":[\"mx.other.com:2525\"]}").put("/domains/other.com/split-routing")
                .then().statusCode(HttpStatus.NO_CONTENT_204);
            given().body("{\"relays\":[\"mx2.example.com\",\"10.0.0.1:26\"],\"forwardUnknown\":true}").put("/domains/example.com/split-routing")
                .then().statusCode(HttpStatus.NO_CONTENT_204);

            assertJsonEquals(getBody("/split-routing/domains"),
                "[{\"domain\":\"example.com\",\"relays\":[\"mx2.example.com:25\",\"10.0.0.1:26\"],\"forwardUnknown\":true,\"verifyRecipients\":true},"
                    + "{\"domain\":\"other.com\",\"relays\":[\"mx.other.com:2525\"],\"forwardUnknown\":false,\"verifyRecipients\":false}]");
        }

        @Test
        void listDomainsShouldNotListDeletedSettings() {
            given().body("{\"relays\":[\"mx.other.com:2525\"]}").put("/domains/other.com/split-routing");
            given().body("{\"relays\":[\"mx2.example.com\"]}").put("/domains/example.com/split-routing");
            when().delete("/domains/other.com/split-routing").then().statusCode(HttpStatus.NO_CONTENT_204);

            assertJsonEquals(getBody("/split-routing/domains"),
                "[{\"domain\":\"example.com\",\"relays\":[\"mx2.example.com:25\"],\"forwardUnknown\":false,\"verifyRecipients\":false}]");
        }
    }

    @Nested
    class ListDomainPages {
        @Test
        void listDomainsShouldGiveThePageAskedFor() {
            system.store.storeDomainRouting(EXAMPLE_COM, DomainRouting.of(ImmutableList.of(MX2), false));
            system.store.storeDomainRouting(OTHER_COM, DomainRouting.of(ImmutableList.of(MX_OTHER), false));

            assertThat(JsonPath.from(getBody("/split-routing/domains?limit=1")).getList("domain")).containsExactly("example.com");
            assertThat(JsonPath.from(getBody("/split-routing/domains?limit=1&offset=1")).getList("domain")).containsExactly("other.com");
        }
    }

    @Nested
    class ListUsers {
        @Test
        void listUsersShouldReturnEmptyArrayWhenNothingIsSet() {
            assertJsonEquals(getBody("/split-routing/users"), "[]");
        }

        @Test
        void listUsersShouldReturnSettingsSortedByUsername() {
            // 200: bob's domain has no relay, which the answer warns of.
            given().body("{\"thirdParty\":true}").put("/users/bob@example.com/split-routing")
                .then().statusCode(HttpStatus.OK_200);
            given().body("{\"thirdParty\":false}").put("/users/alice@example.com/split-routing")
                .then().statusCode(HttpStatus.NO_CONTENT_204);

            assertJsonEquals(getBody("/split-routing/users"),
                "[{\"username\":\"alice@example.com\",\"thirdParty\":false,\"forwardedAddresses\":[],\"forwardsAllAddresses\":false},"
                    + "{\"username\":\"bob@example.com\",\"thirdParty\":true,"
                    + "\"forwardedAddresses\":[\"alias@example.com\",\"bob@example.com\"],\"forwardsAllAddresses\":true}]");
        }

        @Test
        void listUsersShouldGiveThePageAskedFor() {
            for (String user : List.of("carol", "dan", "erin", "fred")) {
                system.store.storeUserRouting(Username.of(user + "@example.com"), UserRouting.internal());
            }

            assertThat(JsonPath.from(getBody("/split-routing/users?limit=2")).getList("username"))
                .containsExactly("carol@example.com", "dan@example.com");
            assertThat(JsonPath.from(getBody("/split-routing/users?limit=2&offset=2")).getList("username"))
                .containsExactly("erin@example.com", "fred@example.com");
            assertThat(JsonPath.from(getBody("/split-routing/users?offset=3")).getList("username"))
                .containsExactly("fred@example.com");
            assertThat(JsonPath.from(getBody("/split-routing/users?offset=9")).getList("username")).isEmpty();
        }

        @Test
        void listUsersShouldRefuseALimitThatIsNoPositiveNumber() {
            when().get("/split-routing/users?limit=0").then().statusCode(HttpStatus.BAD_REQUEST_400);
            when().get("/split-routing/users?limit=ten").then().statusCode(HttpStatus.BAD_REQUEST_400)
                .body("message", org.hamcrest.Matchers.is("Can not parse limit"));
            when().get("/split-routing/users?offset=-1").then().statusCode(HttpStatus.BAD_REQUEST_400);
        }

        @Test
        void listUsersShouldShowChosenAddressesWhenOnlySomeAreForwarded() {
            given().body("{\"thirdParty\":true,\"forwardedAddresses\":[\"alias@example.com\"]}").put("/users/bob@example.com/split-routing")
                .then().statusCode(HttpStatus.OK_200);

            assertJsonEquals(getBody("/split-routing/users"),
                "[{\"username\":\"bob@example.com\",\"thirdParty\":true,"
                    + "\"forwardedAddresses\":[\"alias@example.com\"],\"forwardsAllAddresses\":false}]");
        }
    }

    @Nested
    class Route {
        @Test
        void routeShouldWarnWhenTheRelayIsThisServersOwnSmtpEndpoint() {
            system.smtpListensOn(25);
            system.store.storeDomainRouting(EXAMPLE_COM,
                DomainRouting.of(ImmutableList.of(RelayHost.of(SplitRoutingTestSystem.OWN_HOST, 25)), true));

            assertThat(JsonPath.from(route("nobody@example.com")).getList("warnings", String.class))
                .containsExactly("relay own.example.net:25 is this server's own SMTP endpoint: mail relayed there comes straight back");
        }

        @Test
        void routeShouldNotWarnWhenTheOwnHostIsReachedOnAnotherPort() {
            system.smtpListensOn(2525);
            system.store.storeDomainRouting(EXAMPLE_COM,
                DomainRouting.of(ImmutableList.of(RelayHost.of(SplitRoutingTestSystem.OWN_HOST, 25)), true));

            assertThat(JsonPath.from(route("nobody@example.com")).getList("warnings", String.class)).isEmpty();
        }

        @Test
        void routeShouldRelayThirdPartyUser() {
            splitDomain(false);
            system.store.storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());

            assertJsonEquals(route("bob@example.com"),
                "{\"address\":\"bob@example.com\",\"resolvedAddresses\":[\"bob@example.com\"],"
                    + "\"decisions\":[{\"address\":\"bob@example.com\",\"route\":\"relay\",\"relays\":[\"mx2.example.com:25\"],"
                    + "\"rule\":\"third-party\",\"reason\":\"bob@example.com is a forwarded address of third-party user bob@example.com\"}],"
                    + "\"warnings\":[]}");
        }

        @Test
        void routeShouldRelayThirdPartyUserWhenAddressCaseDiffers() {
            splitDomain(false);
            system.store.storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());

            JsonPath json = JsonPath.from(route("BOB@EXAMPLE.COM"));

            assertThat(json.getString("decisions[0].route")).isEqualTo("relay");
            assertThat(json.getString("decisions[0].rule")).isEqualTo("third-party");
        }

        @Test
        void routeShouldRelayAliasOfThirdPartyUser() {
            splitDomain(false);
            system.store.storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());

            assertJsonEquals(route("alias@example.com"),
                "{\"address\":\"alias@example.com\",\"resolvedAddresses\":[\"alias@example.com\"],"
                    + "\"decisions\":[{\"address\":\"alias@example.com\",\"route\":\"relay\",\"relays\":[\"mx2.example.com:25\"],"
                    + "\"rule\":\"third-party\",\"reason\":\"alias@example.com is a forwarded address of third-party user bob@example.com\"}],"
                    + "\"warnings\":[\"alias@example.com is relayed unchanged: it is an alias of third-party user bob@example.com, who forwards "
                    + "all addresses, so the other system must know alias@example.com too. Create it there, or forward only the addresses it "
                    + "knows (\\\"forwardedAddresses\\\": [\\\"bob@example.com\\\"]): alias@example.com is then rewritten to bob@example.com "
                    + "before it is relayed\"]}");
        }

        @Test
        void routeShouldNotWarnAboutAnAliasChosenAsAForwardedAddress() throws Exception {
            splitDomain(false);
            system.store.storeUserRouting(BOB, UserRouting.thirdParty(ImmutableList.of(new MailAddress("alias@example.com"))));

            assertThat(JsonPath.from(route("alias@example.com")).getList("warnings", String.class)).isEmpty();
        }

        @Test
        void routeShouldNotProbeUnlessAsked() {
            splitDomain(true);

            assertThat(JsonPath.from(route("nobody@example.com")).getMap("decisions[0]")).doesNotContainKey("probe");
        }

        @Test
        void routeShouldAddWhatTheRelayAnswersForEachRelayedAddressWhenAskedTo() throws Exception {
            splitDomain(true);
            system.store.storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());
            system.recipientRewriteTable.addGroupMapping(MappingSource.fromUser("team", "example.com"), BOB.asString());
            system.recipientRewriteTable.addGroupMapping(MappingSource.fromUser("team", "example.com"), "nobody@example.com");
            system.recipientRewriteTable.addGroupMapping(MappingSource.fromUser("team", "example.com"), ALICE.asString());

            JsonPath json = JsonPath.from(given().queryParam("address", "team@example.com").queryParam("probe", "true")
                .get("/split-routing/route").then().statusCode(HttpStatus.OK_200).extract().asString());

            assertThat(json.getMap("decisions.find { it.address == 'bob@example.com' }.probe"))
                .isEqualTo(ImmutableMap.of("result", "accepted", "relay", "mx2.example.com:25", "reply", "250 2.1.5 Ok"));
            assertThat(json.getMap("decisions.find { it.address == 'nobody@example.com' }.probe"))
                .isEqualTo(ImmutableMap.of("result", "refused", "relay", "mx2.example.com:25",
                    "reply", "550 5.1.1 <nobody@example.com>: Recipient address rejected"));
            assertThat(json.getMap("decisions.find { it.address == 'alice@example.com' }")).doesNotContainKey("probe");
        }

        @Test
        void routeShouldRefuseAProbeParameterThatIsNotABoolean() {
            given().queryParam("address", "nobody@example.com").queryParam("probe", "yes")
                .get("/split-routing/route")
            .then()
                .statusCode(HttpStatus.BAD_REQUEST_400)
                .body("message", org.hamcrest.Matchers.is("'probe' must be true or false; got 'yes'"));
        }

        @Test
        void routeShouldDeliverLocallyAddressThatIsNotForwarded() throws Exception {
            splitDomain(false);
            system.store.storeUserRouting(BOB, UserRouting.thirdParty(ImmutableList.of(new MailAddress("alias@example.com"))));

            assertJsonEquals(route("bob@example.com"),
                "{\"address\":\"bob@example.com\",\"resolvedAddresses\":[\"bob@example.com\"],"
                    + "\"decisions\":[{\"address\":\"bob@example.com\",\"route\":\"local\",\"relays\":[],"
                    + "\"rule\":\"local-user\",\"reason\":\"bob@example.com is a user of this server\"}],"
                    + "\"warnings\":[]}");
        }

        @Test
        void routeShouldRelayChosenAliasOfThirdPartyUser() throws Exception {
            splitDomain(false);
            system.store.storeUserRouting(BOB, UserRouting.thirdParty(ImmutableList.of(new MailAddress("alias@example.com"))));

            JsonPath json = JsonPath.from(route("alias@example.com"));

            assertThat(json.getString("decisions[0].route")).isEqualTo("relay");
            assertThat(json.getString("decisions[0].rule")).isEqualTo("third-party");
            assertThat(json.getList("decisions[0].relays")).containsExactly("mx2.example.com:25");
        }

        @Test
        void routeShouldDeliverLocallyInternalUser() {
            splitDomain(false);
            system.store.storeUserRouting(ALICE, UserRouting.internal());

            assertJsonEquals(route("alice@example.com"),
                "{\"address\":\"alice@example.com\",\"resolvedAddresses\":[\"alice@example.com\"],"
                    + "\"decisions\":[{\"address\":\"alice@example.com\",\"route\":\"local\",\"relays\":[],"
                    + "\"rule\":\"local-user\",\"reason\":\"alice@example.com is a user of this server\"}],"
                    + "\"warnings\":[]}");
        }

        @Test
        void routeShouldUseRelaysOfTheAddressDomainFirst() throws Exception {
            splitDomain(false);
            system.store.storeDomainRouting(OTHER_COM, DomainRouting.of(ImmutableList.of(MX_OTHER), false));
            system.recipientRewriteTable.addAliasMapping(MappingSource.fromUser("bob.alias", "other.com"), BOB.asString());
            system.store.storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());

            JsonPath json = JsonPath.from(route("bob.alias@other.com"));

            assertThat(json.getString("decisions[0].route")).isEqualTo("relay");
            assertThat(json.getList("decisions[0].relays")).containsExactly("mx.other.com:2525");
        }

        @Test
        void routeShouldUseRelaysOfTheUserDomainWhenAddressDomainHasNone() throws Exception {
            splitDomain(false);
            system.recipientRewriteTable.addAliasMapping(MappingSource.fromUser("bob.alias", "other.com"), BOB.asString());
            system.store.storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());

            JsonPath json = JsonPath.from(route("bob.alias@other.com"));

            assertThat(json.getString("decisions[0].route")).isEqualTo("relay");
            assertThat(json.getString("decisions[0].rule")).isEqualTo("third-party");
            assertThat(json.getList("decisions[0].relays")).containsExactly("mx2.example.com:25");
        }

        @Test
        void routeShouldForwardUnknownAddressWhenDomainForwardsUnknown() {
            splitDomain(true);

            assertJsonEquals(route("nobody@example.com"),
                "{\"address\":\"nobody@example.com\",\"resolvedAddresses\":[\"nobody@example.com\"],"
                    + "\"decisions\":[{\"address\":\"nobody@example.com\",\"route\":\"relay\",\"relays\":[\"mx2.example.com:25\"],"
                    + "\"rule\":\"forward-unknown\","
                    + "\"reason\":\"no user, alias or mapping for nobody@example.com and example.com forwards unknown addresses\"}],"
                    + "\"warnings\":[]}");
        }

        @Test
        void routeShouldRejectUnknownAddressWhenDomainDoesNotForwardUnknown() {
            splitDomain(false);

            assertJsonEquals(route("nobody@example.com"),
                "{\"address\":\"nobody@example.com\",\"resolvedAddresses\":[\"nobody@example.com\"],"
                    + "\"decisions\":[{\"address\":\"nobody@example.com\",\"route\":\"reject\",\"relays\":[],"
                    + "\"rule\":\"unknown-local\","
                    + "\"reason\":\"no user, alias or mapping for nobody@example.com and example.com does not forward unknown addresses\"}],"
                    + "\"warnings\":[]}");
        }

        @Test
        void routeShouldRejectUnknownAddressWhenDomainHasNoSettings() {
            JsonPath json = JsonPath.from(route("nobody@other.com"));

            assertThat(json.getString("decisions[0].route")).isEqualTo("reject");
            assertThat(json.getString("decisions[0].rule")).isEqualTo("unknown-local");
            assertThat(json.getList("warnings")).isEmpty();
        }

        @Test
        void routeShouldDeliverKnownUserLocallyWhenDomainForwardsUnknown() {
            splitDomain(true);

            JsonPath json = JsonPath.from(route("alice@example.com"));

            assertThat(json.getString("decisions[0].route")).isEqualTo("local");
            assertThat(json.getString("decisions[0].rule")).isEqualTo("local-user");
        }

        @Test
        void routeShouldNotForwardUnknownAddressOfADomainThatIsNoLongerManaged() {
            system.store.storeDomainRouting(UNMANAGED_COM, DomainRouting.of(ImmutableList.of(MX_OTHER), true));

            assertJsonEquals(route("someone@unmanaged.com"),
                "{\"address\":\"someone@unmanaged.com\",\"resolvedAddresses\":[\"someone@unmanaged.com\"],"
                    + "\"decisions\":[{\"address\":\"someone@unmanaged.com\",\"route\":\"remote\",\"relays\":[],"
                    + "\"rule\":\"remote-domain\","
                    + "\"reason\":\"unmanaged.com is not a domain of this server: James's own remote delivery applies\"}],"
                    + "\"warnings\":[]}");
        }

        @Test
        void routeShouldSplitGroupWhenOneMemberIsThirdParty() throws Exception {
            splitDomain(false);
            system.store.storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());
            system.recipientRewriteTable.addGroupMapping(MappingSource.fromUser("team", "example.com"), BOB.asString());
            system.recipientRewriteTable.addGroupMapping(MappingSource.fromUser("team", "example.com"), ALICE.asString());

            JsonPath json = JsonPath.from(route("team@example.com"));

            assertThat(json.getString("address")).isEqualTo("team@example.com");
            assertThat(json.getList("resolvedAddresses", String.class))
                .containsExactlyInAnyOrder("bob@example.com", "alice@example.com");
            assertThat(json.getList("decisions", Map.class)).containsExactlyInAnyOrder(
                decision("bob@example.com", "relay", ImmutableList.of("mx2.example.com:25"), "third-party-after-mapping",
                    "bob@example.com is a forwarded address of third-party user bob@example.com (reached through the mappings of team@example.com)"),
                decision("alice@example.com", "local", ImmutableList.of(), "local-user",
                    "alice@example.com is a user of this server"));
            assertThat(json.getList("warnings")).isEmpty();
        }

        @Test
        void routeShouldRejectUnknownGroupMemberNextToThirdPartyMember() throws Exception {
            splitDomain(false);
            system.store.storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());
            system.recipientRewriteTable.addGroupMapping(MappingSource.fromUser("team", "example.com"), BOB.asString());
            system.recipientRewriteTable.addGroupMapping(MappingSource.fromUser("team", "example.com"), "gone@example.com");

            JsonPath json = JsonPath.from(route("team@example.com"));

            assertThat(json.getList("decisions", Map.class))
                .extracting(decision -> decision.get("address") + " " + decision.get("route") + " " + decision.get("rule"))
                .containsExactlyInAnyOrder(
                    "bob@example.com relay third-party-after-mapping",
                    "gone@example.com reject unknown-local");
        }

        @Test
        void routeShouldWarnWhenThirdPartyUserHasNoRelay() {
            system.store.storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());

            String reason = "bob@example.com is a forwarded address of third-party user bob@example.com"
                + " but neither its domain nor the user's has a relay: delivered here";
            assertJsonEquals(route("bob@example.com"),
                "{\"address\":\"bob@example.com\",\"resolvedAddresses\":[\"bob@example.com\"],"
                    + "\"decisions\":[{\"address\":\"bob@example.com\",\"route\":\"local\",\"relays\":[],"
                    + "\"rule\":\"third-party-without-relay\",\"reason\":\"" + reason + "\"}],"
                    + "\"warnings\":[\"" + reason + "\"]}");
        }

        @Test
        void routeShouldWarnWhenGroupReachesThirdPartyUserWithoutRelay() throws Exception {
            system.store.storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());
            system.recipientRewriteTable.addGroupMapping(MappingSource.fromUser("team", "example.com"), BOB.asString());
            system.recipientRewriteTable.addGroupMapping(MappingSource.fromUser("team", "example.com"), ALICE.asString());

            JsonPath json = JsonPath.from(route("team@example.com"));

            assertThat(json.getList("warnings", String.class)).hasSize(1);
            assertThat(json.getList("warnings", String.class).get(0))
                .startsWith("bob@example.com is a forwarded address of third-party user bob@example.com");
        }

        @Test
        void routeShouldRejectAddressWithAnErrorMapping() throws Exception {
            splitDomain(true);
            system.recipientRewriteTable.addErrorMapping(MappingSource.fromUser("gone", "example.com"), "mailbox closed");

            JsonPath json = JsonPath.from(route("gone@example.com"));

            assertThat(json.getString("decisions[0].route")).isEqualTo("reject");
            assertThat(json.getString("decisions[0].rule")).isEqualTo("mapping-error");
            assertThat(json.getList("decisions[0].relays")).isEmpty();
        }

        @Test
        void routeShouldReflectSettingsChangedThroughTheApi() {
            given().body("{\"relays\":[\"mx2.example.com\"],\"forwardUnknown\":false}").put("/domains/example.com/split-routing")
                .then().statusCode(HttpStatus.NO_CONTENT_204);
            given().body("{\"thirdParty\":true,\"forwardedAddresses\":[\"alias@example.com\"]}").put("/users/bob@example.com/split-routing")
                .then().statusCode(HttpStatus.NO_CONTENT_204);

            assertThat(JsonPath.from(route("alias@example.com")).getString("decisions[0].rule")).isEqualTo("third-party");
            assertThat(JsonPath.from(route("bob@example.com")).getString("decisions[0].rule")).isEqualTo("local-user");

            when().delete("/users/bob@example.com/split-routing").then().statusCode(HttpStatus.NO_CONTENT_204);

            assertThat(JsonPath.from(route("alias@example.com")).getList("decisions.rule"))
                .containsExactly("local-user");
        }

        @Test
        void routeShouldReturnBadRequestWhenAddressIsMissing() {
            when()
                .get("/split-routing/route")
            .then()
                .statusCode(HttpStatus.BAD_REQUEST_400)
                .contentType(ContentType.JSON)
                .body("statusCode", is(HttpStatus.BAD_REQUEST_400))
                .body("type", is("InvalidArgument"))
                .body("message", is("'address' query parameter is mandatory"));
        }

        @Test
        void routeShouldReturnBadRequestWhenAddressIsGivenTwice() {
            when()
                .get("/split-routing/route?address=bob@example.com&address=nobody@example.com")
            .then()
                .statusCode(HttpStatus.BAD_REQUEST_400)
                .body("type", is("InvalidArgument"))
                .body("message", is("'address' is given 2 times; give it once"));
        }

        @Test
        void everySplitRoutingRouteShouldRefuseAParameterGivenTwice() {
            when().get("/split-routing/domains?limit=1&limit=2").then().statusCode(HttpStatus.BAD_REQUEST_400)
                .body("message", is("'limit' is given 2 times; give it once"));
            when().get("/split-routing/history?address=bob@example.com&address=bob@example.com").then().statusCode(HttpStatus.BAD_REQUEST_400)
                .body("message", is("'address' is given 2 times; give it once"));
            given().body("{\"relays\":[\"mx2.example.com\"]}").put("/domains/example.com/split-routing?x=1&x=2")
                .then().statusCode(HttpStatus.BAD_REQUEST_400);
            given().body("{\"thirdParty\":true}").put("/users/bob@example.com/split-routing?x=1&x=2")
                .then().statusCode(HttpStatus.BAD_REQUEST_400);
            assertThat(system.store.domainRouting(EXAMPLE_COM)).as("nothing written").isEmpty();
        }

        @Test
        void routeShouldReturnBadRequestWhenAddressIsEmpty() {
            given()
                .queryParam("address", "")
            .when()
                .get("/split-routing/route")
            .then()
                .statusCode(HttpStatus.BAD_REQUEST_400)
                .body("type", is("InvalidArgument"))
                .body("message", is("'address' query parameter is mandatory"));
        }

        @Test
        void routeShouldReturnBadRequestWhenAddressIsInvalid() {
            given()
                .queryParam("address", "not an address")
            .when()
                .get("/split-routing/route")
            .then()
                .statusCode(HttpStatus.BAD_REQUEST_400)
                .contentType(ContentType.JSON)
                .body("statusCode", is(HttpStatus.BAD_REQUEST_400))
                .body("type", is("InvalidArgument"))
                .body("message", startsWith("'not an address' is not a valid mail address: "));
        }

        @Test
        void routeShouldReturnBadRequestWhenAddressHasNoDomain() {
            given()
                .queryParam("address", "bob@")
            .when()
                .get("/split-routing/route")
            .then()
                .statusCode(HttpStatus.BAD_REQUEST_400)
                .body("type", is("InvalidArgument"))
                .body("message", startsWith("'bob@' is not a valid mail address: "));
        }

        @Test
        void routeShouldNotChangeAnySettings() {
            splitDomain(true);
            system.store.storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());

            route("bob@example.com");
            route("nobody@example.com");

            assertThat(system.store.listDomainRoutings()).containsOnlyKeys(EXAMPLE_COM);
            assertThat(system.store.listUserRoutings()).containsOnlyKeys(BOB);
            assertThat(system.store.userRouting(Username.of("nobody@example.com"))).isEmpty();
        }
    }
}
