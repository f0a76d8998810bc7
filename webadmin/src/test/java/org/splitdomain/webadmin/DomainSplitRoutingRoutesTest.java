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
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.splitdomain.webadmin.SplitRoutingTestSystem.EXAMPLE_COM;
import static org.splitdomain.webadmin.SplitRoutingTestSystem.OTHER_COM;
import static org.splitdomain.webadmin.SplitRoutingTestSystem.UNMANAGED_COM;
import static org.splitdomain.webadmin.SplitRoutingTestSystem.assertJsonEquals;
import static org.splitdomain.webadmin.SplitRoutingTestSystem.getBody;

import java.util.List;
import java.util.Optional;

import org.apache.james.core.Domain;
import org.eclipse.jetty.http.HttpStatus;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.RelayTls;
import org.splitdomain.settings.service.SettingsService;

import com.google.common.collect.ImmutableList;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;

class DomainSplitRoutingRoutesTest {
    private static final String EXAMPLE_COM_PATH = "/domains/example.com/split-routing";
    private static final String UNMANAGED_COM_PATH = "/domains/unmanaged.com/split-routing";
    private static final String STORED_BODY = "{\"relays\":[\"mx2.example.com:25\"],\"forwardUnknown\":true}";
    private static final String STORED_ANSWER = "{\"relays\":[\"mx2.example.com:25\"],\"forwardUnknown\":true,\"verifyRecipients\":true}";

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

    @Nested
    class Put {
        @Test
        void putShouldStoreARelayThatIsThisServerAndWarnOfIt() {
            system.smtpListensOn(2525);

            String answer = given()
                .body("{\"relays\":[\"" + SplitRoutingTestSystem.OWN_HOST + ":2525\"]}")
            .when()
                .put(EXAMPLE_COM_PATH)
            .then()
                .statusCode(HttpStatus.OK_200)
                .extract().asString();

            assertJsonEquals(answer, "{\"warnings\":[\"relay " + SplitRoutingTestSystem.OWN_HOST + ":2525 is this server's own SMTP "
                + "endpoint: mail relayed there comes straight back\"]}");
            assertThat(system.store.domainRouting(SplitRoutingTestSystem.EXAMPLE_COM)).isPresent();
        }

        @Test
        void putShouldReturnNoContentWhenSettingsAreValid() {
            given()
                .body(STORED_BODY)
            .when()
                .put(EXAMPLE_COM_PATH)
            .then()
                .statusCode(HttpStatus.NO_CONTENT_204);
        }

        @Test
        void getShouldReturnStoredSettingsWhenPutSucceeded() {
            with().body(STORED_BODY).put(EXAMPLE_COM_PATH);

            assertJsonEquals(getBody(EXAMPLE_COM_PATH), "{\"relays\":[\"mx2.example.com:25\"],\"forwardUnknown\":true,\"verifyRecipients\":true}");
        }

        // An operator can paste what the log says back into a request.
        @Test
        void theLogLineOfAChangeShouldShowTheSettingsAsTheRouteAnswersThem() {
            List<String> logs = SplitRoutingTestSystem.logsOf(SettingsService.class, () ->
                with().body("{\"relays\":[\"mx2.example.com\",{\"relay\":\"mx3.example.com:587\",\"tls\":\"verify\"}],\"forwardUnknown\":true}")
                    .put(EXAMPLE_COM_PATH));

            String prefix = "Split routing of example.com set to ";
            assertThat(logs)
                .filteredOn(message -> message.startsWith(prefix))
                .singleElement()
                .satisfies(message -> assertJsonEquals(message.substring(prefix.length()), getBody(EXAMPLE_COM_PATH)));
        }

        @Test
        void putShouldWriteSettingsToTheStoreWhenSettingsAreValid() {
            with().body(STORED_BODY).put(EXAMPLE_COM_PATH);

            assertThat(system.store.domainRouting(EXAMPLE_COM))
                .contains(DomainRouting.of(ImmutableList.of(RelayHost.of("mx2.example.com", 25)), true));
        }

        @Test
        void getShouldAddDefaultPortWhenRelayHasNoPort() {
            with().body("{\"relays\":[\"mx2.example.com\"],\"forwardUnknown\":true}").put(EXAMPLE_COM_PATH);

            assertJsonEquals(getBody(EXAMPLE_COM_PATH), "{\"relays\":[\"mx2.example.com:25\"],\"forwardUnknown\":true,\"verifyRecipients\":true}");
        }

        @Test
        void getShouldTellThatADomainWhichForwardsUnknownAddressesVerifiesThemUnlessTurnedOff() {
            with().body("{\"relays\":[\"mx2.example.com\"],\"forwardUnknown\":true,\"verifyRecipients\":false}").put(EXAMPLE_COM_PATH);

            assertJsonEquals(getBody(EXAMPLE_COM_PATH), "{\"relays\":[\"mx2.example.com:25\"],\"forwardUnknown\":true,\"verifyRecipients\":false}");
            assertThat(system.store.domainRouting(EXAMPLE_COM).map(DomainRouting::isVerifyRecipients)).contains(false);
        }

        @Test
        void aMasterShouldBeAbleToVerifyItsThirdPartyUsersAtTheRelay() {
            with().body("{\"relays\":[\"mx2.example.com\"],\"forwardUnknown\":false,\"verifyRecipients\":true}").put(EXAMPLE_COM_PATH);

            assertJsonEquals(getBody(EXAMPLE_COM_PATH), "{\"relays\":[\"mx2.example.com:25\"],\"forwardUnknown\":false,\"verifyRecipients\":true}");
            assertThat(system.store.domainRouting(EXAMPLE_COM).map(DomainRouting::isVerifyRecipients)).contains(true);
        }

        @Test
        void getShouldReturnForwardUnknownFalseWhenPutOmittedIt() {
            with().body("{\"relays\":[\"mx2.example.com:2525\"]}").put(EXAMPLE_COM_PATH);

            assertJsonEquals(getBody(EXAMPLE_COM_PATH), "{\"relays\":[\"mx2.example.com:2525\"],\"forwardUnknown\":false,\"verifyRecipients\":false}");
        }

        @Test
        void getShouldReturnForwardUnknownFalseWhenPutSetItToNull() {
            with().body("{\"relays\":[\"mx2.example.com\"],\"forwardUnknown\":null}").put(EXAMPLE_COM_PATH);

            assertJsonEquals(getBody(EXAMPLE_COM_PATH), "{\"relays\":[\"mx2.example.com:25\"],\"forwardUnknown\":false,\"verifyRecipients\":false}");
        }

        @Test
        void getShouldKeepRelayOrderWhenSeveralRelaysAreGiven() {
            with().body("{\"relays\":[\"mx3.example.com:2525\",\"10.0.0.1\",\"mx2.example.com\"]}").put(EXAMPLE_COM_PATH);

            assertJsonEquals(getBody(EXAMPLE_COM_PATH),
                "{\"relays\":[\"mx3.example.com:2525\",\"10.0.0.1:25\",\"mx2.example.com:25\"],\"forwardUnknown\":false,\"verifyRecipients\":false}");
        }

        @Test
        void getShouldReturnLowerCasedRelayWhenPutUsedUpperCase() {
            with().body("{\"relays\":[\"MX2.Example.COM:25\"]}").put(EXAMPLE_COM_PATH);

            assertJsonEquals(getBody(EXAMPLE_COM_PATH), "{\"relays\":[\"mx2.example.com:25\"],\"forwardUnknown\":false,\"verifyRecipients\":false}");
        }

        @Test
        void getShouldReturnEachRelaysPolicyWhenItIsNotTheDefault() {
            with().body("{\"relays\":[{\"relay\":\"smtp.partner.example:587\",\"tls\":\"verify\",\"credential\":\"partner-cloud\"},"
                + "{\"relay\":\"10.0.0.1\",\"tls\":\"none\"},{\"relay\":\"mx2.example.com\",\"tls\":\"may\"},\"mx3.example.com\"]}")
                .put(EXAMPLE_COM_PATH);

            assertJsonEquals(getBody(EXAMPLE_COM_PATH), "{\"relays\":["
                + "{\"relay\":\"smtp.partner.example:587\",\"tls\":\"verify\",\"credential\":\"partner-cloud\"},"
                + "{\"relay\":\"10.0.0.1:25\",\"tls\":\"none\"},\"mx2.example.com:25\",\"mx3.example.com:25\"],\"forwardUnknown\":false,\"verifyRecipients\":false}");
            assertThat(system.store.domainRouting(EXAMPLE_COM).orElseThrow().getRelays().get(0))
                .isEqualTo(RelayHost.parse("smtp.partner.example:587").withPolicy(RelayTls.VERIFY, Optional.of("partner-cloud")));
        }

        @Test
        void noAnswerShouldContainTheCredentialsSecret() {
            with().body("{\"relays\":[{\"relay\":\"smtp.partner.example:587\",\"tls\":\"verify\",\"credential\":\"partner-cloud\"}]}")
                .put(EXAMPLE_COM_PATH);

            assertThat(getBody(EXAMPLE_COM_PATH)).contains("partner-cloud").doesNotContain(SplitRoutingTestSystem.CREDENTIAL_SECRET);
            assertThat(getBody("/split-routing/domains")).doesNotContain(SplitRoutingTestSystem.CREDENTIAL_SECRET);
            assertThat(getBody("/split-routing/export")).doesNotContain(SplitRoutingTestSystem.CREDENTIAL_SECRET);
        }

        @Test
        void putShouldReplacePreviousSettingsWhenCalledTwice() {
            with().body(STORED_BODY).put(EXAMPLE_COM_PATH);

            given()
                .body("{\"relays\":[\"mx9.example.com:587\"],\"forwardUnknown\":false}")
            .when()
                .put(EXAMPLE_COM_PATH)
            .then()
                .statusCode(HttpStatus.NO_CONTENT_204);

            assertJsonEquals(getBody(EXAMPLE_COM_PATH), "{\"relays\":[\"mx9.example.com:587\"],\"forwardUnknown\":false,\"verifyRecipients\":false}");
        }

        @Test
        void putShouldNotAffectOtherDomainsWhenSettingOneDomain() {
            with().body(STORED_BODY).put(EXAMPLE_COM_PATH);

            assertThat(system.store.domainRouting(OTHER_COM)).isEmpty();
            assertThat(system.store.listDomainRoutings()).containsOnlyKeys(EXAMPLE_COM);
        }

        @Test
        void putShouldStoreSettingsUnderNormalizedDomainWhenPathUsesUpperCase() {
            given()
                .body(STORED_BODY)
            .when()
                .put("/domains/EXAMPLE.com/split-routing")
            .then()
                .statusCode(HttpStatus.NO_CONTENT_204);

            assertJsonEquals(getBody(EXAMPLE_COM_PATH), STORED_ANSWER);
        }

        @Test
        void putShouldReturnNotFoundWhenDomainIsNotManaged() {
            given()
                .body(STORED_BODY)
            .when()
                .put(UNMANAGED_COM_PATH)
            .then()
                .statusCode(HttpStatus.NOT_FOUND_404)
                .contentType(ContentType.JSON)
                .body("statusCode", is(HttpStatus.NOT_FOUND_404))
                .body("type", is("notFound"))
                .body("message", is("Domain 'unmanaged.com' is not managed by this James server"));

            assertThat(system.store.listDomainRoutings()).isEmpty();
        }

        @Test
        void putShouldReturnNotFoundWhenDomainIsNotManagedEvenWithInvalidBody() {
            given()
                .body("{\"relays\":[]}")
            .when()
                .put(UNMANAGED_COM_PATH)
            .then()
                .statusCode(HttpStatus.NOT_FOUND_404)
                .body("message", is("Domain 'unmanaged.com' is not managed by this James server"));
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
                .put(EXAMPLE_COM_PATH)
            .then()
                .statusCode(HttpStatus.NO_CONTENT_204);
        }

        private void assertRefused(String body, Matcher<String> message) {
            given()
                .body(body)
            .when()
                .put(EXAMPLE_COM_PATH)
            .then()
                .statusCode(HttpStatus.BAD_REQUEST_400)
                .contentType(ContentType.JSON)
                .body("statusCode", is(HttpStatus.BAD_REQUEST_400))
                .body("type", is("InvalidArgument"))
                .body("message", message);

            assertJsonEquals(getBody(EXAMPLE_COM_PATH), STORED_ANSWER);
            assertThat(system.store.listDomainRoutings()).containsOnlyKeys(EXAMPLE_COM);
        }

        @Test
        void putShouldReturnBadRequestWhenJsonIsMalformed() {
            assertRefused("{\"relays\":[\"mx2.example.com\"", is("Malformed JSON body: Unexpected end-of-input: expected close marker for Array (line 1, column 29)"));
        }

        @Test
        void putShouldReturnBadRequestWhenJsonStopsAfterAFieldName() {
            assertRefused("{\"relays\":", startsWith("Malformed JSON body: "));
        }

        @Test
        void putShouldReturnBadRequestWhenArrayHasATrailingComma() {
            assertRefused("{\"relays\":[\"mx9.example.com\",]}", startsWith("Malformed JSON body: "));
        }

        @Test
        void putShouldReturnBadRequestWhenBodyIsNotJson() {
            assertRefused("relays=mx2.example.com", startsWith("Malformed JSON body: "));
        }

        @Test
        void putShouldReturnBadRequestWhenBodyIsEmpty() {
            assertRefused("", is("Malformed JSON body: the body is empty"));
        }

        @Test
        void putShouldReturnBadRequestWhenGarbageFollowsTheObject() {
            assertRefused("{\"relays\":[\"mx9.example.com\"]} garbage", startsWith("Malformed JSON body:"));
        }

        @Test
        void putShouldReturnBadRequestWhenForwardUnknownIsANumber() {
            assertRefused("{\"relays\":[\"mx9.example.com\"],\"forwardUnknown\":1}",
                is("Invalid value for 'forwardUnknown': expected true or false, got the number 1"));
        }

        @Test
        void putShouldReturnBadRequestWhenForwardUnknownIsAString() {
            assertRefused("{\"relays\":[\"mx9.example.com\"],\"forwardUnknown\":\"true\"}",
                is("Invalid value for 'forwardUnknown': expected true or false, got the string 'true'"));
        }

        @Test
        void putShouldReturnBadRequestWhenVerifyRecipientsIsAString() {
            assertRefused("{\"relays\":[\"mx9.example.com\"],\"forwardUnknown\":true,\"verifyRecipients\":\"yes\"}",
                is("Invalid value for 'verifyRecipients': expected true or false, got the string 'yes'"));
        }

        @Test
        void putShouldReturnBadRequestWhenARelayIsHuge() {
            assertRefused("{\"relays\":[\"" + "x".repeat(10_000) + ".com\"]}", containsString("is not a valid host name or IPv4 address"));
        }

        @Test
        void putShouldReturnBadRequestWhenTheBodyHoldsAHugeListOfBadRelays() {
            String relays = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "\"mx" + i + ":0\"").collect(java.util.stream.Collectors.joining(","));

            assertRefused("{\"relays\":[" + relays + "]}", is("Invalid split-routing settings for example.com: relay 'mx0:0': port must be 1-65535"));
        }

        @Test
        void putShouldReturnBadRequestWhenARelayIsNull() {
            assertRefused("{\"relays\":[null]}", is("Invalid split-routing settings for example.com: relay must not be empty"));
        }

        @Test
        void putShouldReturnBadRequestWhenARelayIsAnIpv6Literal() {
            assertRefused("{\"relays\":[\"[::1]:25\"]}", containsString("IPv6 literals are not supported"));
        }

        @Test
        void putShouldReturnBadRequestWhenARelayIsANumber() {
            assertRefused("{\"relays\":[25]}", is("Invalid value for 'relays[0]': expected a relay, as \"host\" or \"host:port\" "
                + "or an object with 'relay', 'tls' and 'credential', got a number"));
        }

        @Test
        void putShouldReturnBadRequestWhenRelaysIsAStringInsteadOfAList() {
            assertRefused("{\"relays\":\"mx2.example.com\"}", is("Invalid value for 'relays': expected a list, got the string 'mx2.example.com'"));
        }

        @Test
        void putShouldReturnBadRequestWhenForwardUnknownIsAList() {
            assertRefused("{\"relays\":[\"mx9.example.com\"],\"forwardUnknown\":[true]}",
                is("Invalid value for 'forwardUnknown': expected true or false, got a list"));
        }

        @Test
        void putShouldReturnBadRequestWhenARelayIsAUrl() {
            assertRefused("{\"relays\":[\"http://mx:25\"]}", is("Invalid split-routing settings for example.com: relay 'http://mx:25': "
                + "give a host name or IPv4 address and an optional port, such as mx.example.com or mx.example.com:25, not a URL"));
        }

        @Test
        void putShouldReturnBadRequestWhenAPortIsNotANumber() {
            assertRefused("{\"relays\":[\"mx:25x\"]}", is("Invalid split-routing settings for example.com: relay 'mx:25x': "
                + "port '25x' is not a number from 1 to 65535"));
        }

        @Test
        void putShouldReturnBadRequestWhenAPortIsMissingAfterItsColon() {
            assertRefused("{\"relays\":[\"mx:\"]}", is("Invalid split-routing settings for example.com: relay 'mx:': the port is missing after ':'"));
        }

        @Test
        void noRefusalShouldNameAJavaClassOrAParserToken() {
            for (String body : java.util.List.of("{\"relays\":\"mx\"}", "{\"relays\":[{}]}", "{\"relays\":[[\"mx\"]]}",
                    "{\"relays\":[\"mx\"],\"forwardUnknown\":{}}", "[\"mx2.example.com\"]", "\"mx\"", "42", "{\"relays\":{\"a\":1}}")) {
                assertRefused(body, org.hamcrest.Matchers.not(org.hamcrest.Matchers.anyOf(containsString("java."), containsString("Coercion"),
                    containsString("START_"), containsString("JsonToken"), containsString("Cannot construct"), containsString("`"))));
            }
        }

        @Test
        void putShouldReturnBadRequestWhenBodyIsJsonNull() {
            assertRefused("null", is("Invalid JSON body: expected a JSON object, got null"));
        }

        @Test
        void putShouldReturnBadRequestWhenBodyIsAnArray() {
            assertRefused("[\"mx2.example.com\"]", is("Invalid JSON body: expected an object, got a list"));
        }

        @Test
        void putShouldReturnBadRequestWhenBodyIsAnEmptyObject() {
            assertRefused("{}", is("Invalid split-routing settings for example.com: 'relays' is mandatory"));
        }

        @Test
        void putShouldReturnBadRequestWhenFieldIsUnknown() {
            assertRefused("{\"relays\":[\"mx9.example.com\"],\"forwardUnknown\":false,\"foo\":1}",
                is("Unknown field 'foo'; known fields: forwardUnknown, relays, verifyRecipients"));
        }

        @Test
        void putShouldReturnBadRequestWhenFieldNameIsMisspelled() {
            assertRefused("{\"relay\":[\"mx9.example.com\"]}",
                is("Unknown field 'relay'; known fields: forwardUnknown, relays, verifyRecipients"));
        }

        @Test
        void putShouldReturnBadRequestWhenRelaysAreMissing() {
            assertRefused("{\"forwardUnknown\":false}",
                is("Invalid split-routing settings for example.com: 'relays' is mandatory"));
        }

        @Test
        void putShouldReturnBadRequestWhenRelaysAreNull() {
            assertRefused("{\"relays\":null,\"forwardUnknown\":false}",
                is("Invalid split-routing settings for example.com: 'relays' is mandatory"));
        }

        @Test
        void putShouldReturnBadRequestWhenRelaysAreEmpty() {
            assertRefused("{\"relays\":[],\"forwardUnknown\":false}",
                is("Invalid split-routing settings for example.com: 'relays' must contain at least one relay"));
        }

        @Test
        void putShouldReturnBadRequestWhenRelaysIsNotAnArray() {
            assertRefused("{\"relays\":\"mx9.example.com\",\"forwardUnknown\":false}",
                startsWith("Invalid value for 'relays': "));
        }

        @ParameterizedTest
        @ValueSource(strings = {"text/plain", "text/html", "multipart/form-data; boundary=x", "application/jsonx"})
        void putShouldRefuseAnyContentTypeButJsonAndChangeNothing(String contentType) {
            given()
                .contentType(contentType)
                .body("{\"relays\":[\"evil.example.net:25\"],\"forwardUnknown\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .when()
                .put(EXAMPLE_COM_PATH)
            .then()
                .statusCode(HttpStatus.UNSUPPORTED_MEDIA_TYPE_415)
                .body("statusCode", is(415))
                .body("message", startsWith("The body must be sent with Content-Type: application/json, got '" + contentType));

            assertJsonEquals(getBody(EXAMPLE_COM_PATH), STORED_ANSWER);
        }

        @Test
        void putShouldAcceptJsonWithACharset() {
            given()
                .contentType("application/json; charset=UTF-8")
                .body("{\"relays\":[\"mx9.example.com:25\"]}")
            .when()
                .put(EXAMPLE_COM_PATH)
            .then()
                .statusCode(HttpStatus.NO_CONTENT_204);
        }

        @Test
        void putShouldRefuseAFieldGivenTwice() {
            assertRefused("{\"relays\":[\"evil.example.net:25\"],\"forwardUnknown\":true,\"forwardUnknown\":false}",
                startsWith("Malformed JSON body: Duplicate field 'forwardUnknown'"));
        }

        @Test
        void putShouldReturnBadRequestWhenARelayObjectHasAnUnknownField() {
            assertRefused("{\"relays\":[{\"host\":\"mx9.example.com\"}]}",
                is("Unknown field 'relays[0].host'; known fields: credential, relay, tls"));
        }

        @Test
        void putShouldReturnBadRequestWhenARelayObjectHasNoRelay() {
            assertRefused("{\"relays\":[{\"tls\":\"verify\"}]}",
                is("Invalid split-routing settings for example.com: a relay object needs 'relay' (host:port)"));
        }

        @Test
        void putShouldReturnBadRequestWhenTheTlsLevelIsUnknown() {
            assertRefused("{\"relays\":[{\"relay\":\"mx9.example.com\",\"tls\":\"required\"}]}",
                is("Invalid split-routing settings for example.com: tls 'required' is not one of none, may, encrypt, verify"));
        }

        @Test
        void putShouldReturnBadRequestWhenACredentialCouldTravelInClear() {
            assertRefused("{\"relays\":[{\"relay\":\"mx9.example.com\",\"credential\":\"partner-cloud\"}]}",
                is("Invalid split-routing settings for example.com: relay 'mx9.example.com:25': credential 'partner-cloud' "
                    + "needs tls 'encrypt' or 'verify', so that it never travels in clear"));
        }

        @Test
        void putShouldReturnBadRequestWhenTheCredentialIsNotInTheCredentialsFile() {
            assertRefused("{\"relays\":[{\"relay\":\"mx9.example.com\",\"tls\":\"verify\",\"credential\":\"parnter-cloud\"}]}",
                is("Invalid split-routing settings for example.com: relay 'mx9.example.com:25': credential 'parnter-cloud' is not "
                    + "defined in conf/split-relay-credentials.properties (expected parnter-cloud.username and parnter-cloud.password)"));
        }

        @Test
        void putShouldReturnBadRequestWhenTheSameRelayComesTwiceWithTwoPolicies() {
            assertRefused("{\"relays\":[\"mx9.example.com\",{\"relay\":\"mx9.example.com:25\",\"tls\":\"verify\"}]}",
                is("Invalid split-routing settings for example.com: 'relays' lists 'mx9.example.com:25' twice"));
        }

        @Test
        void putShouldReturnBadRequestWhenARelayHasASpace() {
            assertRefused("{\"relays\":[\"127.0.0.1:25 \"]}",
                is("Invalid split-routing settings for example.com: relay '127.0.0.1:25 ': contains a space; write host[:port] with none"));
        }

        @Test
        void putShouldReturnBadRequestWhenARelayIsTheAddressOfEveryInterface() {
            assertRefused("{\"relays\":[{\"relay\":\"0.0.0.0:25\",\"tls\":\"none\"}]}",
                is("Invalid split-routing settings for example.com: relay '0.0.0.0:25': 0.0.0.0 is no address a relay can be reached at "
                    + "(it stands for every address of this machine)"));
        }

        @Test
        void putShouldReturnBadRequestWhenPortIsOutOfRange() {
            assertRefused("{\"relays\":[\"mx:99999\"]}",
                is("Invalid split-routing settings for example.com: relay 'mx:99999': port must be 1-65535"));
        }

        @Test
        void putShouldReturnBadRequestWhenPortIsZero() {
            assertRefused("{\"relays\":[\"mx9.example.com:0\"]}",
                is("Invalid split-routing settings for example.com: relay 'mx9.example.com:0': port must be 1-65535"));
        }

        @Test
        void putShouldReturnBadRequestWhenPortIsNotANumber() {
            assertRefused("{\"relays\":[\"mx9.example.com:smtp\"]}",
                is("Invalid split-routing settings for example.com: relay 'mx9.example.com:smtp': port 'smtp' is not a number from 1 to 65535"));
        }

        @Test
        void putShouldReturnBadRequestWhenRelayHostIsInvalid() {
            assertRefused("{\"relays\":[\"bad_host!\"]}",
                is("Invalid split-routing settings for example.com: relay 'bad_host!': 'bad_host!' is not a valid host name or IPv4 address"));
        }

        @Test
        void putShouldReturnBadRequestWhenRelayIsAnInvalidIpv4Address() {
            assertRefused("{\"relays\":[\"300.1.1.1\"]}",
                is("Invalid split-routing settings for example.com: relay '300.1.1.1': '300.1.1.1' is not a valid host name or IPv4 address"));
        }

        @Test
        void putShouldReturnBadRequestWhenRelayIsAnIpv6Literal() {
            assertRefused("{\"relays\":[\"[::1]:25\"]}",
                is("Invalid split-routing settings for example.com: relay '[::1]:25': IPv6 literals are not supported, use a host name"));
        }

        @Test
        void putShouldReturnBadRequestWhenRelayIsEmpty() {
            assertRefused("{\"relays\":[\"\"]}",
                is("Invalid split-routing settings for example.com: relay must not be empty"));
        }

        @Test
        void putShouldReturnBadRequestWhenRelayIsNull() {
            assertRefused("{\"relays\":[null]}",
                is("Invalid split-routing settings for example.com: relay must not be empty"));
        }

        @Test
        void putShouldReturnBadRequestWhenOneOfSeveralRelaysIsInvalid() {
            assertRefused("{\"relays\":[\"mx9.example.com\",\"mx:99999\"]}",
                is("Invalid split-routing settings for example.com: relay 'mx:99999': port must be 1-65535"));
        }

        @Test
        void putShouldReturnBadRequestWhenRelaysAreDuplicated() {
            assertRefused("{\"relays\":[\"mx9.example.com:25\",\"mx9.example.com:25\"]}",
                is("Invalid split-routing settings for example.com: 'relays' lists 'mx9.example.com:25' twice"));
        }

        @Test
        void putShouldReturnBadRequestWhenRelaysAreDuplicatedThroughDefaultPortAndCase() {
            assertRefused("{\"relays\":[\"mx9.example.com\",\"MX9.example.com:25\"]}",
                is("Invalid split-routing settings for example.com: 'relays' lists 'mx9.example.com:25' twice"));
        }

        @Test
        void putShouldReturnBadRequestWhenForwardUnknownIsNotABoolean() {
            assertRefused("{\"relays\":[\"mx9.example.com\"],\"forwardUnknown\":\"maybe\"}",
                startsWith("Invalid value for 'forwardUnknown': "));
        }

        @Test
        void putShouldReturnBadRequestWhenForwardUnknownIsAnArray() {
            assertRefused("{\"relays\":[\"mx9.example.com\"],\"forwardUnknown\":[true]}",
                startsWith("Invalid value for 'forwardUnknown': "));
        }
    }

    @Nested
    class InvalidDomain {
        @BeforeEach
        void storeSettings() {
            with().body(STORED_BODY).put(EXAMPLE_COM_PATH);
        }

        @Test
        void putShouldReturnBadRequestWhenDomainIsLongerThanDnsAllows() {
            String huge = "a".repeat(250) + ".com";

            given()
                .body(STORED_BODY)
            .when()
                .put("/domains/" + huge + "/split-routing")
            .then()
                .statusCode(HttpStatus.BAD_REQUEST_400)
                .body("message", is("Invalid domain '" + huge + "': Domain name length should not exceed 253 characters"));
            assertThat(system.store.listDomainRoutings()).containsOnlyKeys(EXAMPLE_COM);
        }

        @Test
        void putShouldReturnNotFoundForAnInternationalisedDomainThisServerDoesNotManage() {
            given()
                .body(STORED_BODY)
            .when()
                .put("/domains/exämple.com/split-routing")
            .then()
                .statusCode(HttpStatus.NOT_FOUND_404)
                .body("message", is("Domain 'exämple.com' is not managed by this James server"));
            assertThat(system.store.listDomainRoutings()).containsOnlyKeys(EXAMPLE_COM);
        }

        @Test
        void putShouldStoreAnInternationalisedRelayInItsAsciiForm() {
            with().body("{\"relays\":[\"mx.exämple.com\"]}").put(EXAMPLE_COM_PATH);

            assertJsonEquals(getBody(EXAMPLE_COM_PATH), "{\"relays\":[\"mx.xn--exmple-cua.com:25\"],\"forwardUnknown\":false,\"verifyRecipients\":false}");
        }

        @Test
        void putShouldReturnBadRequestWhenDomainStartsWithDash() {
            given()
                .body(STORED_BODY)
            .when()
                .put("/domains/-bad-.com/split-routing")
            .then()
                .statusCode(HttpStatus.BAD_REQUEST_400)
                .contentType(ContentType.JSON)
                .body("statusCode", is(HttpStatus.BAD_REQUEST_400))
                .body("type", is("InvalidArgument"))
                .body("message", is("Invalid domain '-bad-.com': Domain part should not start with '-' or '_'"));

            assertThat(system.store.listDomainRoutings()).containsOnlyKeys(EXAMPLE_COM);
        }

        @Test
        void putShouldReturnBadRequestWhenDomainHasAnEmptyPart() {
            given()
                .body(STORED_BODY)
            .when()
                .put("/domains/a..b/split-routing")
            .then()
                .statusCode(HttpStatus.BAD_REQUEST_400)
                .body("statusCode", is(HttpStatus.BAD_REQUEST_400))
                .body("type", is("InvalidArgument"))
                .body("message", is("Invalid domain 'a..b': Domain part should not be empty"));

            assertThat(system.store.listDomainRoutings()).containsOnlyKeys(EXAMPLE_COM);
        }

        @Test
        void putShouldReturnBadRequestWhenDomainHasInvalidCharacters() {
            given()
                .body(STORED_BODY)
            .when()
                .put("/domains/exa$mple.com/split-routing")
            .then()
                .statusCode(HttpStatus.BAD_REQUEST_400)
                .body("type", is("InvalidArgument"))
                .body("message", is("Invalid domain 'exa$mple.com': Domain parts ASCII chars must be a-z A-Z 0-9 - or _"));

            assertThat(system.store.listDomainRoutings()).containsOnlyKeys(EXAMPLE_COM);
        }

        @Test
        void getShouldReturnBadRequestWhenDomainIsInvalid() {
            when()
                .get("/domains/-bad-.com/split-routing")
            .then()
                .statusCode(HttpStatus.BAD_REQUEST_400)
                .body("type", is("InvalidArgument"))
                .body("message", is("Invalid domain '-bad-.com': Domain part should not start with '-' or '_'"));
        }

        @Test
        void deleteShouldReturnBadRequestWhenDomainIsInvalid() {
            when()
                .delete("/domains/a..b/split-routing")
            .then()
                .statusCode(HttpStatus.BAD_REQUEST_400)
                .body("type", is("InvalidArgument"))
                .body("message", is("Invalid domain 'a..b': Domain part should not be empty"));

            assertThat(system.store.listDomainRoutings()).containsOnlyKeys(EXAMPLE_COM);
        }
    }

    @Nested
    class Get {
        @Test
        void getShouldReturnNotFoundWhenDomainHasNoSettings() {
            when()
                .get(EXAMPLE_COM_PATH)
            .then()
                .statusCode(HttpStatus.NOT_FOUND_404)
                .contentType(ContentType.JSON)
                .body("statusCode", is(HttpStatus.NOT_FOUND_404))
                .body("type", is("notFound"))
                .body("message", is("Domain 'example.com' has no split-routing settings"));
        }

        @Test
        void getShouldReturnNotFoundWhenDomainIsNotManaged() {
            when()
                .get(UNMANAGED_COM_PATH)
            .then()
                .statusCode(HttpStatus.NOT_FOUND_404)
                .body("statusCode", is(HttpStatus.NOT_FOUND_404))
                .body("type", is("notFound"))
                .body("message", is("Domain 'unmanaged.com' is not managed by this James server"));
        }

        @Test
        void getShouldReturnSettingsWrittenDirectlyToTheStore() {
            system.store.storeDomainRouting(OTHER_COM,
                DomainRouting.of(ImmutableList.of(RelayHost.of("mx.other.com", 2525), RelayHost.of("10.0.0.2", 25)), false));

            assertJsonEquals(getBody("/domains/other.com/split-routing"),
                "{\"relays\":[\"mx.other.com:2525\",\"10.0.0.2:25\"],\"forwardUnknown\":false,\"verifyRecipients\":false}");
        }

        @Test
        void getShouldReturnNotFoundWhenDomainWasRemovedFromTheDomainList() throws Exception {
            with().body(STORED_BODY).put(EXAMPLE_COM_PATH);
            system.domainList.removeDomain(EXAMPLE_COM);

            when()
                .get(EXAMPLE_COM_PATH)
            .then()
                .statusCode(HttpStatus.NOT_FOUND_404)
                .body("message", is("Domain 'example.com' is not managed by this James server"));
        }
    }

    @Nested
    class Delete {
        @Test
        void deleteShouldReturnNoContentWhenSettingsExist() {
            with().body(STORED_BODY).put(EXAMPLE_COM_PATH);

            when()
                .delete(EXAMPLE_COM_PATH)
            .then()
                .statusCode(HttpStatus.NO_CONTENT_204);
        }

        @Test
        void getShouldReturnNotFoundWhenSettingsWereDeleted() {
            with().body(STORED_BODY).put(EXAMPLE_COM_PATH);
            with().delete(EXAMPLE_COM_PATH);

            when()
                .get(EXAMPLE_COM_PATH)
            .then()
                .statusCode(HttpStatus.NOT_FOUND_404)
                .body("message", is("Domain 'example.com' has no split-routing settings"));
            assertThat(system.store.domainRouting(EXAMPLE_COM)).isEmpty();
        }

        @Test
        void deleteShouldReturnNoContentWhenManagedDomainHasNoSettings() {
            when()
                .delete(EXAMPLE_COM_PATH)
            .then()
                .statusCode(HttpStatus.NO_CONTENT_204);
        }

        @Test
        void deleteShouldBeIdempotent() {
            with().body(STORED_BODY).put(EXAMPLE_COM_PATH);
            with().delete(EXAMPLE_COM_PATH);

            when()
                .delete(EXAMPLE_COM_PATH)
            .then()
                .statusCode(HttpStatus.NO_CONTENT_204);
            assertThat(system.store.listDomainRoutings()).isEmpty();
        }

        @Test
        void deleteShouldOnlyRemoveSettingsOfTheGivenDomain() {
            with().body(STORED_BODY).put(EXAMPLE_COM_PATH);
            with().body(STORED_BODY).put("/domains/other.com/split-routing");

            with().delete(EXAMPLE_COM_PATH);

            assertThat(system.store.listDomainRoutings()).containsOnlyKeys(OTHER_COM);
        }

        @Test
        void deleteShouldReturnNotFoundWhenDomainIsNotManagedAndHasNoSettings() {
            when()
                .delete(UNMANAGED_COM_PATH)
            .then()
                .statusCode(HttpStatus.NOT_FOUND_404)
                .contentType(ContentType.JSON)
                .body("statusCode", is(HttpStatus.NOT_FOUND_404))
                .body("type", is("notFound"))
                .body("message", is("Domain 'unmanaged.com' is not managed by this James server"));
        }

        @Test
        void deleteShouldRemoveLeftOverSettingsWhenDomainIsNoLongerManaged() throws Exception {
            with().body(STORED_BODY).put(EXAMPLE_COM_PATH);
            system.domainList.removeDomain(EXAMPLE_COM);

            when()
                .delete(EXAMPLE_COM_PATH)
            .then()
                .statusCode(HttpStatus.NO_CONTENT_204);
            assertThat(system.store.domainRouting(EXAMPLE_COM)).isEmpty();
        }

        @Test
        void deleteShouldRemoveSettingsStoredForAnUnmanagedDomain() {
            system.store.storeDomainRouting(UNMANAGED_COM,
                DomainRouting.of(ImmutableList.of(RelayHost.of("mx.unmanaged.com", 25)), true));

            when()
                .delete(UNMANAGED_COM_PATH)
            .then()
                .statusCode(HttpStatus.NO_CONTENT_204);
            assertThat(system.store.domainRouting(Domain.of("unmanaged.com"))).isEmpty();
        }
    }
}
