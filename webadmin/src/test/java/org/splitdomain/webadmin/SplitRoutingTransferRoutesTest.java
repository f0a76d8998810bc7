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

import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.splitdomain.webadmin.SplitRoutingTestSystem.ALICE;
import static org.splitdomain.webadmin.SplitRoutingTestSystem.BOB;
import static org.splitdomain.webadmin.SplitRoutingTestSystem.EXAMPLE_COM;
import static org.splitdomain.webadmin.SplitRoutingTestSystem.OTHER_COM;
import static org.splitdomain.webadmin.SplitRoutingTestSystem.assertJsonEquals;
import static org.splitdomain.webadmin.SplitRoutingTestSystem.getBody;

import org.apache.james.core.MailAddress;
import org.apache.james.rrt.lib.MappingSource;
import org.eclipse.jetty.http.HttpStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.RelayTls;
import org.splitdomain.settings.UserRouting;

import com.google.common.collect.ImmutableList;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.http.ContentType;

class SplitRoutingTransferRoutesTest {
    private static final DomainRouting TO_MX2 = DomainRouting.of(ImmutableList.of(RelayHost.of("mx2.example.com", 25), RelayHost.of("mx3.example.com", 2525)), true);

    private SplitRoutingTestSystem system;

    @BeforeEach
    void setUp() throws Exception {
        system = new SplitRoutingTestSystem();
        system.recipientRewriteTable.addAliasMapping(MappingSource.fromUser("robert", "example.com"), BOB.asString());
        RestAssured.requestSpecification = system.requestSpecification();
    }

    @AfterEach
    void tearDown() {
        system.close();
    }

    private static String importSettings(String body, int expectedStatus) {
        return given()
            .body(body)
        .when()
            .post("/split-routing/import")
        .then()
            .statusCode(expectedStatus)
            .contentType(ContentType.JSON)
            .extract()
            .body()
            .asString();
    }

    @Nested
    class Export {
        @Test
        void exportShouldBeEmptyWhenNothingIsSet() {
            assertJsonEquals(getBody("/split-routing/export"), "{\"domains\":[],\"users\":[]}");
        }

        @Test
        void exportShouldListStoredSettingsAndOmitForwardedAddressesWhenAllAreForwarded() throws Exception {
            system.store.storeDomainRouting(EXAMPLE_COM, TO_MX2);
            system.store.storeUserRouting(BOB, UserRouting.thirdParty(ImmutableList.of(new MailAddress("robert@example.com"))));
            system.store.storeUserRouting(ALICE, UserRouting.thirdPartyForAllAddresses());

            assertJsonEquals(getBody("/split-routing/export"), "{"
                + "\"domains\":[{\"domain\":\"example.com\",\"relays\":[\"mx2.example.com:25\",\"mx3.example.com:2525\"],\"forwardUnknown\":true,\"verifyRecipients\":true}],"
                + "\"users\":["
                + "{\"username\":\"alice@example.com\",\"thirdParty\":true},"
                + "{\"username\":\"bob@example.com\",\"thirdParty\":true,\"forwardedAddresses\":[\"robert@example.com\"]}]}");
        }
    }

    @Nested
    class Import {
        @Test
        void importShouldStoreEverySettingAndCountThem() throws Exception {
            String answer = importSettings("{"
                + "\"domains\":[{\"domain\":\"example.com\",\"relays\":[\"mx2.example.com\",\"mx3.example.com:2525\"],\"forwardUnknown\":true}],"
                + "\"users\":["
                + "{\"username\":\"alice@example.com\",\"thirdParty\":false},"
                + "{\"username\":\"bob@example.com\",\"thirdParty\":true,\"forwardedAddresses\":[\"ROBERT@example.com\"]}]}", HttpStatus.OK_200);

            assertJsonEquals(answer, "{\"domains\":1,\"users\":2,\"mode\":\"merge\",\"dryRun\":false,"
                + "\"added\":{\"domains\":1,\"users\":2},\"changed\":{\"domains\":0,\"users\":0},"
                + "\"removed\":{\"domains\":0,\"users\":0},\"unchanged\":{\"domains\":0,\"users\":0},\"warnings\":[]}");
            assertThat(system.store.domainRouting(EXAMPLE_COM)).contains(TO_MX2);
            assertThat(system.store.userRouting(ALICE)).contains(UserRouting.internal());
            assertThat(system.store.userRouting(BOB)).contains(UserRouting.thirdParty(ImmutableList.of(new MailAddress("robert@example.com"))));
        }

        @Test
        void exportThenImportOnAnotherServerShouldGiveTheSameSettings() throws Exception {
            system.store.storeDomainRouting(EXAMPLE_COM, TO_MX2);
            system.store.storeDomainRouting(OTHER_COM, DomainRouting.of(ImmutableList.of(RelayHost.of("10.0.0.3", 25),
                RelayHost.parse("smtp.partner.example:587").withPolicy(RelayTls.VERIFY, Optional.of(SplitRoutingTestSystem.CREDENTIAL))), false));
            system.store.storeUserRouting(BOB, UserRouting.thirdParty(ImmutableList.of(new MailAddress("robert@example.com"), new MailAddress("bob@example.com"))));
            system.store.storeUserRouting(ALICE, UserRouting.thirdPartyForAllAddresses());
            String exported = getBody("/split-routing/export");

            try (SplitRoutingTestSystem other = new SplitRoutingTestSystem()) {
                other.recipientRewriteTable.addAliasMapping(MappingSource.fromUser("robert", "example.com"), BOB.asString());
                RestAssured.requestSpecification = other.requestSpecification();

                importSettings(exported, HttpStatus.OK_200);

                assertThat(other.store.listDomainRoutings()).isEqualTo(system.store.listDomainRoutings());
                assertThat(other.store.listUserRoutings()).isEqualTo(system.store.listUserRoutings());
                assertJsonEquals(getBody("/split-routing/export"), exported);
            }
        }

        @Test
        void importShouldRefuseACredentialTheCredentialsFileDoesNotDefineAndWriteNothing() {
            String answer = importSettings("{\"domains\":["
                + "{\"domain\":\"example.com\",\"relays\":[\"mx2.example.com\"]},"
                + "{\"domain\":\"other.com\",\"relays\":[{\"relay\":\"smtp.partner.example:587\",\"tls\":\"encrypt\",\"credential\":\"typo\"}]}]}",
                HttpStatus.BAD_REQUEST_400);

            assertThat(answer).contains("domains[1] 'other.com': relay 'smtp.partner.example:587': credential 'typo' is not defined in "
                + "conf/split-relay-credentials.properties");
            assertThat(system.store.listDomainRoutings()).isEmpty();
        }

        @Test
        void importShouldKeepSettingsItDoesNotMention() {
            system.store.storeUserRouting(ALICE, UserRouting.thirdPartyForAllAddresses());

            importSettings("{\"users\":[{\"username\":\"bob@example.com\",\"thirdParty\":true}]}", HttpStatus.OK_200);

            assertThat(system.store.userRouting(ALICE)).contains(UserRouting.thirdPartyForAllAddresses());
            assertThat(system.store.userRouting(BOB)).contains(UserRouting.thirdPartyForAllAddresses());
        }

        @Test
        void importShouldReplaceSettingsItMentions() {
            system.store.storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());

            importSettings("{\"users\":[{\"username\":\"bob@example.com\",\"thirdParty\":false}]}", HttpStatus.OK_200);

            assertThat(system.store.userRouting(BOB)).contains(UserRouting.internal());
        }

        @Test
        void emptyDocumentShouldImportNothing() {
            assertJsonEquals(importSettings("{}", HttpStatus.OK_200), "{\"domains\":0,\"users\":0,\"mode\":\"merge\",\"dryRun\":false,"
                + "\"added\":{\"domains\":0,\"users\":0},\"changed\":{\"domains\":0,\"users\":0},"
                + "\"removed\":{\"domains\":0,\"users\":0},\"unchanged\":{\"domains\":0,\"users\":0},\"warnings\":[]}");
        }

        @Test
        void aDryRunShouldAnswerEveryChangeEntryByEntryAndWriteNothing() throws Exception {
            system.store.storeDomainRouting(EXAMPLE_COM, TO_MX2);
            system.store.storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());
            system.store.storeUserRouting(ALICE, UserRouting.internal());
            long generationBefore = system.store.listUserRoutings().size();

            String answer = given()
                .body("{\"domains\":[{\"domain\":\"example.com\",\"relays\":[\"mx2.example.com\",\"mx3.example.com:2525\"],\"forwardUnknown\":true}],"
                    + "\"users\":[{\"username\":\"bob@example.com\",\"thirdParty\":true,\"forwardedAddresses\":[\"robert@example.com\"]}]}")
            .when()
                .post("/split-routing/import?dryRun=true&mode=replace")
            .then()
                .statusCode(HttpStatus.OK_200)
                .extract().body().asString();

            assertJsonEquals(answer, "{\"domains\":1,\"users\":1,\"mode\":\"replace\",\"dryRun\":true,"
                + "\"added\":{\"domains\":0,\"users\":0},\"changed\":{\"domains\":0,\"users\":1},"
                + "\"removed\":{\"domains\":0,\"users\":1},\"unchanged\":{\"domains\":1,\"users\":0},\"warnings\":[],"
                + "\"diff\":["
                + "{\"username\":\"bob@example.com\",\"change\":\"changed\",\"before\":{\"thirdParty\":true},"
                + "\"after\":{\"thirdParty\":true,\"forwardedAddresses\":[\"robert@example.com\"]}},"
                + "{\"username\":\"alice@example.com\",\"change\":\"removed\",\"before\":{\"thirdParty\":false}}]}");
            assertThat(system.store.userRouting(BOB)).contains(UserRouting.thirdPartyForAllAddresses());
            assertThat(system.store.userRouting(ALICE)).contains(UserRouting.internal());
            assertThat(system.store.listUserRoutings()).hasSize((int) generationBefore);
        }

        @Test
        void replaceModeShouldRemoveWhatTheDocumentDoesNotMention() throws Exception {
            system.store.storeDomainRouting(OTHER_COM, TO_MX2);
            system.store.storeUserRouting(ALICE, UserRouting.thirdPartyForAllAddresses());

            String answer = given()
                .body("{\"domains\":[{\"domain\":\"example.com\",\"relays\":[\"mx2.example.com\"]}],"
                    + "\"users\":[{\"username\":\"bob@example.com\",\"thirdParty\":true}]}")
            .when()
                .post("/split-routing/import?mode=replace")
            .then()
                .statusCode(HttpStatus.OK_200)
                .extract().body().asString();

            assertThat(system.store.listDomainRoutings()).containsOnlyKeys(EXAMPLE_COM);
            assertThat(system.store.listUserRoutings()).containsOnlyKeys(BOB);
            assertJsonEquals(answer, "{\"domains\":1,\"users\":1,\"mode\":\"replace\",\"dryRun\":false,"
                + "\"added\":{\"domains\":1,\"users\":1},\"changed\":{\"domains\":0,\"users\":0},"
                + "\"removed\":{\"domains\":1,\"users\":1},\"unchanged\":{\"domains\":0,\"users\":0},"
                + "\"warnings\":[\"user 'bob@example.com': robert@example.com is relayed unchanged: it is an alias of third-party user "
                + "bob@example.com, who forwards all addresses, so the other system must know robert@example.com too. Create it there, "
                + "or forward only the addresses it knows (\\\"forwardedAddresses\\\": [\\\"bob@example.com\\\"]): robert@example.com is "
                + "then rewritten to bob@example.com before it is relayed\"]}");
        }

        @Test
        void aUserForwardingOnlyItsOwnAddressShouldNotBeWarnedOfItsAliases() {
            system.store.storeDomainRouting(EXAMPLE_COM, TO_MX2);

            String answer = importSettings("{\"users\":[{\"username\":\"bob@example.com\",\"thirdParty\":true,"
                + "\"forwardedAddresses\":[\"bob@example.com\"]}]}", HttpStatus.OK_200);

            assertThat(JsonPath.from(answer).getList("warnings", String.class)).isEmpty();
        }

        @Test
        void theAnswerShouldWarnOfAThirdPartyUserWhoseDomainHasNoRelay() {
            String answer = importSettings("{\"users\":[{\"username\":\"bob@example.com\",\"thirdParty\":true}]}", HttpStatus.OK_200);

            assertThat(JsonPath.from(answer).getList("warnings", String.class)).containsExactly(
                "user 'bob@example.com': hosted on the other system, but domain 'example.com' has no split-routing relays: its mail stays here");
            assertThat(system.store.userRouting(BOB)).contains(UserRouting.thirdPartyForAllAddresses());
        }

        @Test
        void theSameImportAgainShouldWarnAgain() {
            String document = "{\"users\":[{\"username\":\"bob@example.com\",\"thirdParty\":true}]}";
            importSettings(document, HttpStatus.OK_200);

            String again = importSettings(document, HttpStatus.OK_200);

            assertThat(JsonPath.from(again).getMap("unchanged")).containsEntry("users", 1);
            assertThat(JsonPath.from(again).getList("warnings", String.class)).containsExactly(
                "user 'bob@example.com': hosted on the other system, but domain 'example.com' has no split-routing relays: its mail stays here");
        }

        @Test
        void theAnswerShouldWarnOfARelayThatIsThisServer() {
            system.smtpListensOn(2525);
            String answer = importSettings("{\"domains\":[{\"domain\":\"example.com\",\"relays\":[\"" + SplitRoutingTestSystem.OWN_HOST + ":2525\"]}]}",
                HttpStatus.OK_200);

            assertThat(JsonPath.from(answer).getList("warnings", String.class)).containsExactly("domain 'example.com': relay "
                + SplitRoutingTestSystem.OWN_HOST + ":2525 is this server's own SMTP endpoint: mail relayed there comes straight back");
        }

        @Test
        void theSameImportAgainShouldCountEveryEntryUnchanged() {
            String document = "{\"domains\":[{\"domain\":\"example.com\",\"relays\":[\"mx2.example.com\"]}],"
                + "\"users\":[{\"username\":\"bob@example.com\",\"thirdParty\":true}]}";
            importSettings(document, HttpStatus.OK_200);

            String again = importSettings(document, HttpStatus.OK_200);

            assertThat(JsonPath.from(again).getMap("unchanged")).containsEntry("domains", 1).containsEntry("users", 1);
            assertThat(JsonPath.from(again).getMap("added")).containsEntry("domains", 0).containsEntry("users", 0);
        }

        @Test
        void anUnknownModeShouldBeRefusedAndWriteNothing() {
            given()
                .body("{\"users\":[{\"username\":\"bob@example.com\",\"thirdParty\":true}]}")
            .when()
                .post("/split-routing/import?mode=overwrite")
            .then()
                .statusCode(HttpStatus.BAD_REQUEST_400)
                .body("message", is("'mode' must be merge or replace; got 'overwrite'"));

            assertThat(system.store.listUserRoutings()).isEmpty();
        }
    }

    @Nested
    class BadImport {
        private static final String VALID_USER = "{\"username\":\"alice@example.com\",\"thirdParty\":true}";
        private static final String VALID_DOMAIN = "{\"domain\":\"example.com\",\"relays\":[\"mx2.example.com\"],\"forwardUnknown\":false}";

        @Test
        void importShouldRefuseAFormPostAsACrossSitePageWouldSendItAndWriteNothing() {
            given()
                .contentType("application/x-www-form-urlencoded")
                .body("{\"domains\":[" + VALID_DOMAIN + "]}")
            .when()
                .post("/split-routing/import")
            .then()
                .statusCode(HttpStatus.UNSUPPORTED_MEDIA_TYPE_415);

            assertThat(system.store.listDomainRoutings()).isEmpty();
        }

        private void assertRefusedWithNothingWritten(String body, String message) {
            given()
                .body(body)
            .when()
                .post("/split-routing/import")
            .then()
                .statusCode(HttpStatus.BAD_REQUEST_400)
                .contentType(ContentType.JSON)
                .body("statusCode", is(HttpStatus.BAD_REQUEST_400))
                .body("type", is("InvalidArgument"))
                .body("message", is(message));

            assertThat(system.store.listDomainRoutings()).isEmpty();
            assertThat(system.store.listUserRoutings()).isEmpty();
        }

        @Test
        void everyBadEntryShouldBeNamedAtOnce() {
            assertRefusedWithNothingWritten("{\"domains\":[{\"domain\":\"unmanaged.com\",\"relays\":[\"mx2.example.com\"]},"
                    + "{\"domain\":\"example.com\",\"relays\":[\"mx2.example.com:99999\"]}],"
                    + "\"users\":[" + VALID_USER + ",{\"username\":\"nobody@example.com\",\"thirdParty\":true},{\"thirdParty\":true}]}",
                "4 entries are invalid, nothing was written: "
                    + "domains[0] 'unmanaged.com': domain is not managed by this James server; "
                    + "domains[1] 'example.com': relay 'mx2.example.com:99999': port must be 1-65535; "
                    + "users[1] 'nobody@example.com': user does not exist; "
                    + "users[2]: 'username' is mandatory");
        }

        @Test
        void unmanagedDomainShouldBeRefused() {
            assertRefusedWithNothingWritten("{\"domains\":[" + VALID_DOMAIN + ",{\"domain\":\"unmanaged.com\",\"relays\":[\"mx2.example.com\"]}],\"users\":[" + VALID_USER + "]}",
                "domains[1] 'unmanaged.com': domain is not managed by this James server");
        }

        @Test
        void unknownUserAfterValidEntriesShouldBeRefused() {
            assertRefusedWithNothingWritten("{\"domains\":[" + VALID_DOMAIN + "],\"users\":[" + VALID_USER + ",{\"username\":\"nobody@example.com\",\"thirdParty\":true}]}",
                "users[1] 'nobody@example.com': user does not exist");
        }

        @Test
        void badRelayShouldBeRefused() {
            assertRefusedWithNothingWritten("{\"domains\":[{\"domain\":\"example.com\",\"relays\":[\"mx2.example.com:99999\"]}]}",
                "domains[0] 'example.com': relay 'mx2.example.com:99999': port must be 1-65535");
        }

        @Test
        void domainWithoutRelaysShouldBeRefused() {
            assertRefusedWithNothingWritten("{\"domains\":[{\"domain\":\"example.com\"}]}",
                "domains[0] 'example.com': 'relays' is mandatory");
        }

        @Test
        void domainListedTwiceWhateverTheCaseShouldBeRefused() {
            assertRefusedWithNothingWritten("{\"domains\":[" + VALID_DOMAIN + ",{\"domain\":\"EXAMPLE.com\",\"relays\":[\"mx3.example.com\"]}]}",
                "domains[1] 'EXAMPLE.com': domain is listed twice");
        }

        @Test
        void userListedTwiceShouldBeRefused() {
            assertRefusedWithNothingWritten("{\"users\":[" + VALID_USER + "," + VALID_USER + "]}",
                "users[1] 'alice@example.com': user is listed twice");
        }

        @Test
        void addressThatIsNotTheUsersShouldBeRefused() {
            assertRefusedWithNothingWritten("{\"users\":[{\"username\":\"alice@example.com\",\"thirdParty\":true,\"forwardedAddresses\":[\"robert@example.com\"]}]}",
                "users[0] 'alice@example.com': 'forwardedAddresses': 'robert@example.com' is not an address of user alice@example.com (its addresses: [alice@example.com])");
        }

        @Test
        void userWithoutThirdPartyShouldBeRefused() {
            assertRefusedWithNothingWritten("{\"users\":[{\"username\":\"alice@example.com\"}]}",
                "users[0] 'alice@example.com': 'thirdParty' is mandatory (true or false)");
        }

        @Test
        void entryWithoutUsernameShouldBeRefused() {
            assertRefusedWithNothingWritten("{\"users\":[{\"thirdParty\":true}]}", "users[0]: 'username' is mandatory");
        }

        @Test
        void nullEntryShouldBeRefused() {
            assertRefusedWithNothingWritten("{\"domains\":[null]}", "domains[0]: 'domain' is mandatory");
        }

        @Test
        void unknownFieldShouldBeRefused() {
            assertRefusedWithNothingWritten("{\"users\":[],\"groups\":[]}", "Unknown field 'groups'; known fields: domains, users");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "null", "[]", "{\"users\":{}}", "{\"users\":[]} trailing"})
        void malformedDocumentShouldBeRefused(String body) {
            given()
                .body(body)
            .when()
                .post("/split-routing/import")
            .then()
                .statusCode(HttpStatus.BAD_REQUEST_400)
                .body("type", is("InvalidArgument"));

            assertThat(system.store.listUserRoutings()).isEmpty();
        }
    }
}
