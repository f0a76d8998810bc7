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
import static org.hamcrest.Matchers.startsWith;
import static org.splitdomain.webadmin.SplitRoutingTestSystem.ALICE;
import static org.splitdomain.webadmin.SplitRoutingTestSystem.BOB;
import static org.splitdomain.webadmin.SplitRoutingTestSystem.assertJsonEquals;
import static org.splitdomain.webadmin.SplitRoutingTestSystem.getBody;

import java.util.List;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.rrt.lib.MappingSource;
import org.eclipse.jetty.http.HttpStatus;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.UserRouting;
import org.splitdomain.settings.service.SettingsService;

import com.google.common.collect.ImmutableList;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;

class UserSplitRoutingRoutesTest {
    private static final String BOB_PATH = "/users/bob@example.com/split-routing";
    private static final String CAROL_PATH = "/users/carol@example.com/split-routing";
    private static final String THIRD_PARTY_ALL = "{\"thirdParty\":true}";
    private static final String STORED_BODY = "{\"thirdParty\":true,\"forwardedAddresses\":[\"bob@example.com\"]}";
    private static final String STORED_RESPONSE =
        "{\"thirdParty\":true,\"forwardedAddresses\":[\"bob@example.com\"],\"forwardsAllAddresses\":false}";

    private SplitRoutingTestSystem system;

    @BeforeEach
    void setUp() throws Exception {
        system = new SplitRoutingTestSystem();
        system.recipientRewriteTable.addAliasMapping(MappingSource.fromUser("alias", "example.com"), BOB.asString());
        // A split domain, as the users of these tests live in.
        system.store.storeDomainRouting(SplitRoutingTestSystem.EXAMPLE_COM, DomainRouting.of(ImmutableList.of(RelayHost.of("mx2.example.com", 25)), false));
        RestAssured.requestSpecification = system.requestSpecification();
    }

    @AfterEach
    void tearDown() {
        system.close();
    }

    @Nested
    class Put {
        // An operator can paste what the log says back into a request.
        @Test
        void theLogLineOfAChangeShouldShowTheSettingsAsTheRequestGivesThem() {
            List<String> logs = SplitRoutingTestSystem.logsOf(SettingsService.class, () -> {
                with().body(STORED_BODY).put(BOB_PATH);
                with().body(THIRD_PARTY_ALL).put(BOB_PATH);
            });

            assertThat(logs)
                .filteredOn(message -> message.startsWith("Split routing of user bob@example.com set to "))
                .containsExactly("Split routing of user bob@example.com set to " + STORED_BODY,
                    "Split routing of user bob@example.com set to " + THIRD_PARTY_ALL);
        }

        @Test
        void putShouldReturnNoContentWhenUserBecomesThirdPartyAndNothingWillGoWrong() {
            given()
                .body(STORED_BODY)
            .when()
                .put(BOB_PATH)
            .then()
                .statusCode(HttpStatus.NO_CONTENT_204);
        }

        @Test
        void putShouldStoreAndWarnOfAnAliasThatWillReachTheOtherSystemUnchanged() {
            String answer = given()
                .body(THIRD_PARTY_ALL)
            .when()
                .put(BOB_PATH)
            .then()
                .statusCode(HttpStatus.OK_200)
                .contentType(ContentType.JSON)
                .extract().asString();

            assertJsonEquals(answer, "{\"warnings\":[\"alias@example.com is relayed unchanged: it is an alias of third-party user "
                + "bob@example.com, who forwards all addresses, so the other system must know alias@example.com too. Create it there, "
                + "or forward only the addresses it knows (\\\"forwardedAddresses\\\": [\\\"bob@example.com\\\"]): alias@example.com is then "
                + "rewritten to bob@example.com before it is relayed\"]}");
            assertThat(system.store.userRouting(BOB)).contains(UserRouting.thirdPartyForAllAddresses());
        }

        @Test
        void putShouldStoreAndWarnWhenTheUsersDomainHasNoRelay() {
            system.store.deleteDomainRouting(SplitRoutingTestSystem.EXAMPLE_COM);

            String answer = given().body(STORED_BODY).put(BOB_PATH).then().statusCode(HttpStatus.OK_200).extract().asString();

            assertJsonEquals(answer, "{\"warnings\":[\"hosted on the other system, but domain 'example.com' has no split-routing relays: "
                + "its mail stays here\"]}");
            assertThat(system.store.userRouting(BOB)).isPresent();
        }

        @Test
        void aWarningShouldBeLoggedToo() {
            List<String> logs = SplitRoutingTestSystem.logsOf(SettingsService.class, () -> with().body(THIRD_PARTY_ALL).put(BOB_PATH));

            assertThat(logs).contains("Split routing of user bob@example.com: alias@example.com is relayed unchanged: it is an alias of "
                + "third-party user bob@example.com, who forwards all addresses, so the other system must know alias@example.com too. "
                + "Create it there, or forward only the addresses it knows (\"forwardedAddresses\": [\"bob@example.com\"]): "
                + "alias@example.com is then rewritten to bob@example.com before it is relayed");
        }

        @Test
        void getShouldListEveryAddressOfTheUserWhenForwardedAddressesAreOmitted() {
            with().body(THIRD_PARTY_ALL).put(BOB_PATH);

            assertJsonEquals(getBody(BOB_PATH),
                "{\"thirdParty\":true,\"forwardedAddresses\":[\"alias@example.com\",\"bob@example.com\"],\"forwardsAllAddresses\":true}");
        }

        @Test
        void getShouldListAliasesOfOtherDomainsSortedWhenForwardedAddressesAreOmitted() throws Exception {
            system.recipientRewriteTable.addAliasMapping(MappingSource.fromUser("bob.alias", "other.com"), BOB.asString());
            with().body(THIRD_PARTY_ALL).put(BOB_PATH);

            assertJsonEquals(getBody(BOB_PATH),
                "{\"thirdParty\":true,"
                    + "\"forwardedAddresses\":[\"alias@example.com\",\"bob.alias@other.com\",\"bob@example.com\"],"
                    + "\"forwardsAllAddresses\":true}");
        }

        @Test
        void getShouldIncludeAliasAddedAfterPutWhenAllAddressesAreForwarded() throws Exception {
            with().body(THIRD_PARTY_ALL).put(BOB_PATH);
            system.recipientRewriteTable.addAliasMapping(MappingSource.fromUser("late", "example.com"), BOB.asString());

            assertJsonEquals(getBody(BOB_PATH),
                "{\"thirdParty\":true,"
                    + "\"forwardedAddresses\":[\"alias@example.com\",\"bob@example.com\",\"late@example.com\"],"
                    + "\"forwardsAllAddresses\":true}");
        }

        @Test
        void getShouldListOnlyTheUsernameWhenUserHasNoAlias() {
            with().body(THIRD_PARTY_ALL).put("/users/alice@example.com/split-routing");

            assertJsonEquals(getBody("/users/alice@example.com/split-routing"),
                "{\"thirdParty\":true,\"forwardedAddresses\":[\"alice@example.com\"],\"forwardsAllAddresses\":true}");
        }

        @Test
        void getShouldReturnChosenAddressesWhenForwardedAddressesAreGiven() {
            given()
                .body("{\"thirdParty\":true,\"forwardedAddresses\":[\"alias@example.com\"]}")
            .when()
                .put(BOB_PATH)
            .then()
                .statusCode(HttpStatus.NO_CONTENT_204);

            assertJsonEquals(getBody(BOB_PATH),
                "{\"thirdParty\":true,\"forwardedAddresses\":[\"alias@example.com\"],\"forwardsAllAddresses\":false}");
        }

        @Test
        void getShouldSortChosenAddresses() {
            with().body("{\"thirdParty\":true,\"forwardedAddresses\":[\"bob@example.com\",\"alias@example.com\"]}").put(BOB_PATH);

            assertJsonEquals(getBody(BOB_PATH),
                "{\"thirdParty\":true,\"forwardedAddresses\":[\"alias@example.com\",\"bob@example.com\"],\"forwardsAllAddresses\":false}");
        }

        @Test
        void getShouldNotForwardAllAddressesWhenEveryAddressIsListedExplicitly() throws Exception {
            with().body("{\"thirdParty\":true,\"forwardedAddresses\":[\"bob@example.com\",\"alias@example.com\"]}").put(BOB_PATH);
            system.recipientRewriteTable.addAliasMapping(MappingSource.fromUser("late", "example.com"), BOB.asString());

            assertJsonEquals(getBody(BOB_PATH),
                "{\"thirdParty\":true,\"forwardedAddresses\":[\"alias@example.com\",\"bob@example.com\"],\"forwardsAllAddresses\":false}");
        }

        @Test
        void putShouldStoreChosenAddressesAsJamesSpellsThem() {
            with().body("{\"thirdParty\":true,\"forwardedAddresses\":[\"ALIAS@Example.COM\"]}").put(BOB_PATH);

            assertJsonEquals(getBody(BOB_PATH),
                "{\"thirdParty\":true,\"forwardedAddresses\":[\"alias@example.com\"],\"forwardsAllAddresses\":false}");
        }

        @Test
        void putShouldWriteChosenAddressesToTheStore() throws Exception {
            with().body("{\"thirdParty\":true,\"forwardedAddresses\":[\"alias@example.com\"]}").put(BOB_PATH);

            assertThat(system.store.userRouting(BOB))
                .contains(UserRouting.thirdParty(ImmutableList.of(new MailAddress("alias@example.com"))));
        }

        @Test
        void putShouldWriteForwardAllToTheStoreWhenForwardedAddressesAreOmitted() {
            with().body(THIRD_PARTY_ALL).put(BOB_PATH);

            assertThat(system.store.userRouting(BOB)).contains(UserRouting.thirdPartyForAllAddresses());
        }

        @Test
        void getShouldReturnInternalSettingsWhenThirdPartyIsFalse() {
            given()
                .body("{\"thirdParty\":false}")
            .when()
                .put(BOB_PATH)
            .then()
                .statusCode(HttpStatus.NO_CONTENT_204);

            assertJsonEquals(getBody(BOB_PATH),
                "{\"thirdParty\":false,\"forwardedAddresses\":[],\"forwardsAllAddresses\":false}");
            assertThat(system.store.userRouting(BOB)).contains(UserRouting.internal());
        }

        @Test
        void putShouldReplacePreviousSettingsWhenCalledTwice() {
            with().body(THIRD_PARTY_ALL).put(BOB_PATH);

            given()
                .body("{\"thirdParty\":true,\"forwardedAddresses\":[\"alias@example.com\"]}")
            .when()
                .put(BOB_PATH)
            .then()
                .statusCode(HttpStatus.NO_CONTENT_204);

            assertJsonEquals(getBody(BOB_PATH),
                "{\"thirdParty\":true,\"forwardedAddresses\":[\"alias@example.com\"],\"forwardsAllAddresses\":false}");
        }

        @Test
        void putShouldNotAffectOtherUsers() {
            with().body(THIRD_PARTY_ALL).put(BOB_PATH);

            assertThat(system.store.listUserRoutings()).containsOnlyKeys(BOB);
            assertThat(system.store.userRouting(ALICE)).isEmpty();
        }

        @Test
        void putShouldStoreSettingsUnderTheNormalizedUsernameWhenPathUsesUpperCase() {
            given()
                .body(THIRD_PARTY_ALL)
            .when()
                .put("/users/BOB@EXAMPLE.COM/split-routing")
            .then()
                .statusCode(HttpStatus.OK_200);

            assertThat(system.store.listUserRoutings()).containsOnlyKeys(BOB);
        }

        @Test
        void putShouldReturnNotFoundWhenUserDoesNotExist() {
            given()
                .body(THIRD_PARTY_ALL)
            .when()
                .put(CAROL_PATH)
            .then()
                .statusCode(HttpStatus.NOT_FOUND_404)
                .contentType(ContentType.JSON)
                .body("statusCode", is(HttpStatus.NOT_FOUND_404))
                .body("type", is("notFound"))
                .body("message", is("User 'carol@example.com' does not exist"));

            assertThat(system.store.listUserRoutings()).isEmpty();
        }

        @Test
        void putShouldReturnNotFoundWhenAddressIsOnlyAnAlias() {
            given()
                .body(THIRD_PARTY_ALL)
            .when()
                .put("/users/alias@example.com/split-routing")
            .then()
                .statusCode(HttpStatus.NOT_FOUND_404)
                .body("type", is("notFound"))
                .body("message", is("User 'alias@example.com' does not exist"));

            assertThat(system.store.listUserRoutings()).isEmpty();
        }

        @Test
        void putShouldReturnBadRequestWhenUsernameIsInvalid() {
            given()
                .body(THIRD_PARTY_ALL)
            .when()
                .put("/users/bob@-bad-.com/split-routing")
            .then()
                .statusCode(HttpStatus.BAD_REQUEST_400)
                .contentType(ContentType.JSON)
                .body("statusCode", is(HttpStatus.BAD_REQUEST_400))
                .body("type", is("InvalidArgument"))
                .body("message", startsWith("Invalid username 'bob@-bad-.com': "));

            assertThat(system.store.listUserRoutings()).isEmpty();
        }
    }

    /** Every refused PUT answers 400 and leaves the settings stored before it untouched. */
    @Nested
    class PutValidation {
        @BeforeEach
        void storeSettings() {
            given()
                .body(STORED_BODY)
            .when()
                .put(BOB_PATH)
            .then()
                .statusCode(HttpStatus.NO_CONTENT_204);
        }

        private void assertRefused(String body, Matcher<String> message) {
            given()
                .body(body)
            .when()
                .put(BOB_PATH)
            .then()
                .statusCode(HttpStatus.BAD_REQUEST_400)
                .contentType(ContentType.JSON)
                .body("statusCode", is(HttpStatus.BAD_REQUEST_400))
                .body("type", is("InvalidArgument"))
                .body("message", message);

            assertJsonEquals(getBody(BOB_PATH), STORED_RESPONSE);
            assertThat(system.store.listUserRoutings()).containsOnlyKeys(BOB);
        }

        @Test
        void putShouldRefuseATextPlainBodyAsACrossSitePageWouldSendItAndChangeNothing() {
            given()
                .contentType("text/plain")
                .body("{\"thirdParty\":false}")
            .when()
                .put(BOB_PATH)
            .then()
                .statusCode(HttpStatus.UNSUPPORTED_MEDIA_TYPE_415)
                .body("message", startsWith("The body must be sent with Content-Type: application/json, got 'text/plain"));

            assertJsonEquals(getBody(BOB_PATH), STORED_RESPONSE);
        }

        @Test
        void putShouldRefuseAFieldGivenTwice() {
            assertRefused("{\"thirdParty\":true,\"thirdParty\":false}", startsWith("Malformed JSON body: Duplicate field 'thirdParty'"));
        }

        @Test
        void putShouldReturnBadRequestWhenJsonIsMalformed() {
            assertRefused("{\"thirdParty\":tru", startsWith("Malformed JSON body: "));
        }

        @Test
        void putShouldReturnBadRequestWhenJsonIsTruncatedInsideTheAddressList() {
            assertRefused("{\"thirdParty\":true,\"forwardedAddresses\":[\"alias@example.com\"", startsWith("Malformed JSON body: "));
        }

        @Test
        void putShouldReturnBadRequestWhenBodyIsEmpty() {
            assertRefused("", is("Malformed JSON body: the body is empty"));
        }

        @Test
        void putShouldReturnBadRequestWhenThirdPartyIsANumber() {
            assertRefused("{\"thirdParty\":1}", is("Invalid value for 'thirdParty': expected true or false, got the number 1"));
        }

        @Test
        void putShouldReturnBadRequestWhenGarbageFollowsTheObject() {
            assertRefused("{\"thirdParty\":true}}", startsWith("Malformed JSON body:"));
        }

        @Test
        void putShouldReturnBadRequestWhenBodyIsJsonNull() {
            assertRefused("null", is("Invalid JSON body: expected a JSON object, got null"));
        }

        @Test
        void putShouldReturnBadRequestWhenThirdPartyIsMissing() {
            assertRefused("{}", is("'thirdParty' is mandatory (true or false)"));
        }

        @Test
        void putShouldReturnBadRequestWhenThirdPartyIsMissingButAddressesAreGiven() {
            assertRefused("{\"forwardedAddresses\":[\"alias@example.com\"]}", is("'thirdParty' is mandatory (true or false)"));
        }

        @Test
        void putShouldReturnBadRequestWhenThirdPartyIsNull() {
            assertRefused("{\"thirdParty\":null}", is("'thirdParty' is mandatory (true or false)"));
        }

        @Test
        void putShouldReturnBadRequestWhenThirdPartyIsNotABoolean() {
            assertRefused("{\"thirdParty\":\"maybe\"}", is("Invalid value for 'thirdParty': expected true or false, got the string 'maybe'"));
        }

        @Test
        void putShouldReturnBadRequestWhenForwardedAddressesAreEmpty() {
            assertRefused("{\"thirdParty\":true,\"forwardedAddresses\":[]}",
                is("'forwardedAddresses' must not be empty: omit it to forward all of the user's addresses"));
        }

        @Test
        void putShouldReturnBadRequestWhenForwardedAddressesIsNotAnArray() {
            assertRefused("{\"thirdParty\":true,\"forwardedAddresses\":\"alias@example.com\"}",
                is("Invalid value for 'forwardedAddresses': expected a list, got the string 'alias@example.com'"));
        }

        @Test
        void putShouldReturnBadRequestWhenAForwardedAddressIsANumber() {
            assertRefused("{\"thirdParty\":true,\"forwardedAddresses\":[42]}",
                is("Invalid value for 'forwardedAddresses[0]': expected a string, got the number 42"));
        }

        @Test
        void putShouldReturnBadRequestWhenAddressIsNotAnAddressOfTheUser() {
            assertRefused("{\"thirdParty\":true,\"forwardedAddresses\":[\"alice@example.com\"]}",
                is("'forwardedAddresses': 'alice@example.com' is not an address of user bob@example.com"
                    + " (its addresses: [alias@example.com, bob@example.com])"));
        }

        @Test
        void putShouldReturnBadRequestWhenAddressIsOfAnotherDomain() {
            assertRefused("{\"thirdParty\":true,\"forwardedAddresses\":[\"bob@other.com\"]}",
                startsWith("'forwardedAddresses': 'bob@other.com' is not an address of user bob@example.com"));
        }

        @Test
        void putShouldReturnBadRequestWhenOnlyOneOfTheAddressesIsNotOfTheUser() {
            assertRefused("{\"thirdParty\":true,\"forwardedAddresses\":[\"alias@example.com\",\"nobody@example.com\"]}",
                startsWith("'forwardedAddresses': 'nobody@example.com' is not an address of user bob@example.com"));
        }

        @Test
        void putShouldReturnBadRequestWhenAddressIsInvalid() {
            assertRefused("{\"thirdParty\":true,\"forwardedAddresses\":[\"not-an-address\"]}",
                is("'forwardedAddresses': 'not-an-address' is not a valid mail address"));
        }

        @Test
        void putShouldReturnBadRequestWhenAddressIsEmpty() {
            assertRefused("{\"thirdParty\":true,\"forwardedAddresses\":[\"\"]}",
                is("'forwardedAddresses': '' is not a valid mail address"));
        }

        @Test
        void putShouldReturnBadRequestWhenAddressIsDuplicated() {
            assertRefused("{\"thirdParty\":true,\"forwardedAddresses\":[\"alias@example.com\",\"alias@example.com\"]}",
                is("'forwardedAddresses' lists 'alias@example.com' twice"));
        }

        @Test
        void putShouldReturnBadRequestWhenAddressIsDuplicatedWithDifferentCase() {
            assertRefused("{\"thirdParty\":true,\"forwardedAddresses\":[\"alias@example.com\",\"ALIAS@EXAMPLE.COM\"]}",
                is("'forwardedAddresses' lists 'ALIAS@EXAMPLE.COM' twice"));
        }

        @Test
        void putShouldReturnBadRequestWhenForwardedAddressesAreGivenWithThirdPartyFalse() {
            assertRefused("{\"thirdParty\":false,\"forwardedAddresses\":[\"alias@example.com\"]}",
                is("'forwardedAddresses' only applies when 'thirdParty' is true"));
        }

        @Test
        void putShouldReturnBadRequestWhenForwardedAddressesContainNull() {
            assertRefused("{\"thirdParty\":true,\"forwardedAddresses\":[null]}",
                is("'forwardedAddresses' must not contain null"));
        }

        @Test
        void putShouldReturnBadRequestWhenFieldIsUnknown() {
            assertRefused("{\"thirdParty\":true,\"foo\":\"bar\"}",
                is("Unknown field 'foo'; known fields: forwardedAddresses, thirdParty"));
        }

        @Test
        void putShouldReturnBadRequestWhenFieldNameIsMisspelled() {
            assertRefused("{\"thirdParty\":true,\"forwardedAddress\":[\"alias@example.com\"]}",
                is("Unknown field 'forwardedAddress'; known fields: forwardedAddresses, thirdParty"));
        }

        @Test
        void putShouldReturnBadRequestWhenBodyIsAnArray() {
            assertRefused("[true]", is("Invalid JSON body: expected an object, got a list"));
        }
    }

    @Nested
    class Get {
        @Test
        void getShouldReturnNotFoundWhenUserHasNoSettings() {
            when()
                .get(BOB_PATH)
            .then()
                .statusCode(HttpStatus.NOT_FOUND_404)
                .contentType(ContentType.JSON)
                .body("statusCode", is(HttpStatus.NOT_FOUND_404))
                .body("type", is("notFound"))
                .body("message", is("User 'bob@example.com' has no split-routing settings"));
        }

        @Test
        void getShouldReturnNotFoundWhenUserDoesNotExist() {
            when()
                .get(CAROL_PATH)
            .then()
                .statusCode(HttpStatus.NOT_FOUND_404)
                .body("statusCode", is(HttpStatus.NOT_FOUND_404))
                .body("type", is("notFound"))
                .body("message", is("User 'carol@example.com' does not exist"));
        }

        @Test
        void getShouldReturnBadRequestWhenUsernameIsInvalid() {
            when()
                .get("/users/bob@-bad-.com/split-routing")
            .then()
                .statusCode(HttpStatus.BAD_REQUEST_400)
                .body("type", is("InvalidArgument"))
                .body("message", startsWith("Invalid username 'bob@-bad-.com': "));
        }

        @Test
        void getShouldReturnSettingsWrittenDirectlyToTheStore() throws Exception {
            system.store.storeUserRouting(ALICE, UserRouting.thirdParty(ImmutableList.of(new MailAddress("alice@example.com"))));

            assertJsonEquals(getBody("/users/alice@example.com/split-routing"),
                "{\"thirdParty\":true,\"forwardedAddresses\":[\"alice@example.com\"],\"forwardsAllAddresses\":false}");
        }

        @Test
        void getShouldReturnNotFoundWhenUserWasDeleted() throws Exception {
            with().body(THIRD_PARTY_ALL).put(BOB_PATH);
            system.usersRepository.removeUser(BOB);

            when()
                .get(BOB_PATH)
            .then()
                .statusCode(HttpStatus.NOT_FOUND_404)
                .body("message", is("User 'bob@example.com' does not exist"));
        }
    }

    @Nested
    class Delete {
        @Test
        void deleteShouldReturnNoContentWhenSettingsExist() {
            with().body(THIRD_PARTY_ALL).put(BOB_PATH);

            when()
                .delete(BOB_PATH)
            .then()
                .statusCode(HttpStatus.NO_CONTENT_204);
        }

        @Test
        void getShouldReturnNotFoundWhenSettingsWereDeleted() {
            with().body(THIRD_PARTY_ALL).put(BOB_PATH);
            with().delete(BOB_PATH);

            when()
                .get(BOB_PATH)
            .then()
                .statusCode(HttpStatus.NOT_FOUND_404)
                .body("message", is("User 'bob@example.com' has no split-routing settings"));
            assertThat(system.store.userRouting(BOB)).isEmpty();
        }

        @Test
        void deleteShouldReturnNoContentWhenExistingUserHasNoSettings() {
            when()
                .delete(BOB_PATH)
            .then()
                .statusCode(HttpStatus.NO_CONTENT_204);
        }

        @Test
        void deleteShouldBeIdempotent() {
            with().body(THIRD_PARTY_ALL).put(BOB_PATH);
            with().delete(BOB_PATH);

            when()
                .delete(BOB_PATH)
            .then()
                .statusCode(HttpStatus.NO_CONTENT_204);
            assertThat(system.store.listUserRoutings()).isEmpty();
        }

        @Test
        void deleteShouldOnlyRemoveSettingsOfTheGivenUser() {
            with().body(THIRD_PARTY_ALL).put(BOB_PATH);
            with().body(THIRD_PARTY_ALL).put("/users/alice@example.com/split-routing");

            with().delete(BOB_PATH);

            assertThat(system.store.listUserRoutings()).containsOnlyKeys(ALICE);
        }

        @Test
        void deleteShouldReturnNotFoundWhenUserDoesNotExistAndHasNoSettings() {
            when()
                .delete(CAROL_PATH)
            .then()
                .statusCode(HttpStatus.NOT_FOUND_404)
                .contentType(ContentType.JSON)
                .body("statusCode", is(HttpStatus.NOT_FOUND_404))
                .body("type", is("notFound"))
                .body("message", is("User 'carol@example.com' does not exist"));
        }

        @Test
        void deleteShouldRemoveLeftOverSettingsWhenUserWasDeleted() throws Exception {
            with().body(THIRD_PARTY_ALL).put(BOB_PATH);
            system.usersRepository.removeUser(BOB);

            when()
                .delete(BOB_PATH)
            .then()
                .statusCode(HttpStatus.NO_CONTENT_204);
            assertThat(system.store.userRouting(BOB)).isEmpty();
        }

        @Test
        void deleteShouldReturnBadRequestWhenUsernameIsInvalid() {
            with().body(THIRD_PARTY_ALL).put(BOB_PATH);

            when()
                .delete("/users/bob@-bad-.com/split-routing")
            .then()
                .statusCode(HttpStatus.BAD_REQUEST_400)
                .body("type", is("InvalidArgument"))
                .body("message", startsWith("Invalid username 'bob@-bad-.com': "));
            assertThat(system.store.listUserRoutings()).containsOnlyKeys(BOB);
        }

        @Test
        void deleteShouldRemoveSettingsStoredForAnUnknownUser() {
            Username ghost = Username.of("ghost@example.com");
            system.store.storeUserRouting(ghost, UserRouting.thirdPartyForAllAddresses());

            when()
                .delete("/users/ghost@example.com/split-routing")
            .then()
                .statusCode(HttpStatus.NO_CONTENT_204);
            assertThat(system.store.userRouting(ghost)).isEmpty();
        }
    }
}
