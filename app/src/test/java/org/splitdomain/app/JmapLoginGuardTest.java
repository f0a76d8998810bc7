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
package org.splitdomain.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.splitdomain.app.Mailboxes.PASSWORD;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.google.common.collect.ImmutableMap;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.SignatureAlgorithm;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.splitdomain.testing.SmtpSink;

/** JMAP (off in james-conf, turned on here with a keystore of the test's own) refuses third-party users. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JmapLoginGuardTest {
    private static final String ECHO = "{\"using\":[\"urn:ietf:params:jmap:core\"],\"methodCalls\":[[\"Core/echo\",{\"hello\":\"world\"},\"c1\"]]}";

    private JamesNode james;
    private int jmapPort;
    private KeyPair jwtKey;
    private KeyPair strangerKey;

    @BeforeAll
    void start() throws Exception {
        jmapPort = SmtpSink.freePort();
        Path keystore = Files.createTempDirectory("jmap-keystore").resolve("keystore");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair", "-alias", "james", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
            "-dname", "CN=split-domain-test", "-storetype", "PKCS12", "-keystore", keystore.toString(),
            "-storepass", "keystore-secret", "-keypass", "keystore-secret")
            .inheritIO()
            .start();
        if (keytool.waitFor() != 0) {
            throw new IllegalStateException("keytool could not create the JMAP keystore");
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        jwtKey = generator.generateKeyPair();
        strangerKey = generator.generateKeyPair();
        Path jwtPublicKey = keystore.resolveSibling("jwt-public.pem");
        Files.writeString(jwtPublicKey, "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(jwtKey.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        james = JamesNode.start("jmap-guard", ImmutableMap.of("jmap.properties", conf -> JamesNode.edit(conf,
            "enabled=false", "enabled=true\njmap.port=" + jmapPort
                + "\ntls.keystoreURL=file://" + keystore + "\ntls.secret=keystore-secret"
                + "\njwt.publickeypem.url=file://" + jwtPublicKey,
            "authentication.strategy.rfc8621=org.splitdomain.jmap.ThirdPartyRefusingBasicAuthenticationStrategy",
            "authentication.strategy.rfc8621=org.splitdomain.jmap.ThirdPartyRefusingBasicAuthenticationStrategy,"
                + "org.splitdomain.jmap.ThirdPartyRefusingJwtAuthenticationStrategy")));
        james.data().addDomain("example.com");
        james.data().addUser("local@example.com", PASSWORD);
        james.data().addUser("elsewhere@example.com", PASSWORD);
        james.putDomainRouting("example.com", "{\"relays\":[\"127.0.0.1:2\"]}");
        james.putUserRouting("elsewhere@example.com", "{\"thirdParty\":true}");
    }

    @AfterAll
    void stop() {
        if (james != null) {
            james.close();
        }
    }

    private int echoAs(String user, String password) {
        return Integer.parseInt(echoResponseAs(user, password).substring(0, 3));
    }

    /** Status, challenge and body of an echo request with these Basic credentials. */
    private String echoResponseAs(String user, String password) {
        return echo(given().auth().preemptive().basic(user, password));
    }

    /** Status, challenge and body of an echo request with this Bearer token. */
    private String echoWithToken(String user, KeyPair key) {
        String token = Jwts.builder().setSubject(user).signWith(key.getPrivate(), SignatureAlgorithm.RS256).compact();
        return echo(given().header("Authorization", "Bearer " + token));
    }

    private String echo(RequestSpecification withCredentials) {
        io.restassured.response.Response response = withCredentials
            .baseUri("http://127.0.0.1")
            .port(jmapPort)
            .header("Accept", "application/json; jmapVersion=rfc-8621")
            .contentType(ContentType.JSON)
            .body(ECHO)
        .when()
            .post("/jmap");
        return response.statusCode() + " " + response.header("WWW-Authenticate") + " " + response.body().asString();
    }

    @Test
    void jmapShouldRefuseAValidTokenOfAThirdPartyUserExactlyAsATokenItCannotVerify() {
        assertThat(echoWithToken("local@example.com", jwtKey)).as("the set-up works: a local user's token").startsWith("200");

        assertThat(echoWithToken("elsewhere@example.com", jwtKey))
            .isEqualTo(echoWithToken("local@example.com", strangerKey))
            .startsWith("401");
    }

    @Test
    void jmapShouldRefuseAThirdPartyUserWithTheRightPassword() {
        assertThat(echoResponseAs("elsewhere@example.com", PASSWORD))
            .isEqualTo(echoResponseAs("local@example.com", "wrong"))
            .startsWith("401");
        assertThat(echoAs("local@example.com", PASSWORD)).isEqualTo(200);
    }

    @Test
    void removingTheFlagShouldRestoreJmapAtOnce() {
        james.putUserRouting("elsewhere@example.com", "{\"thirdParty\":false}");
        try {
            assertThat(echoAs("elsewhere@example.com", PASSWORD)).isEqualTo(200);
        } finally {
            james.putUserRouting("elsewhere@example.com", "{\"thirdParty\":true}");
        }
    }
}
