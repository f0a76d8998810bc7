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

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitdomain.app.Mailboxes.PASSWORD;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.google.common.collect.ImmutableMap;
import com.sun.net.httpserver.HttpServer;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.SignatureAlgorithm;

/**
 * IMAP AUTHENTICATE OAUTHBEARER and XOAUTH2 (James's OIDC support, {@code <auth><oidc>} in imapserver.xml)
 * against a real JWKS endpoint: a valid token of a user hosted elsewhere gets exactly the answer of a
 * rejected token.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OAuthLoginGuardTest {
    private static final String KEY_ID = "test-key";

    private HttpServer identityProvider;
    private KeyPair signingKey;
    private KeyPair strangerKey;
    private JamesNode james;

    @BeforeAll
    void start() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        signingKey = generator.generateKeyPair();
        strangerKey = generator.generateKeyPair();
        identityProvider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        identityProvider.createContext("/jwks", exchange -> {
            byte[] body = jwks((RSAPublicKey) signingKey.getPublic()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        identityProvider.start();
        String provider = "http://127.0.0.1:" + identityProvider.getAddress().getPort();

        String oidc = "<oidc>\n"
            + "                <jwksURL>" + provider + "/jwks</jwksURL>\n"
            + "                <claim>email</claim>\n"
            + "                <oidcConfigurationURL>" + provider + "/.well-known/openid-configuration</oidcConfigurationURL>\n"
            + "                <scope>email</scope>\n"
            + "            </oidc>";
        james = JamesNode.start("oauth-guard", ImmutableMap.of(
            "imapserver.xml", conf -> JamesNode.edit(conf,
                "<plainAuthEnabled>true</plainAuthEnabled>", "<plainAuthEnabled>true</plainAuthEnabled>\n            " + oidc),
            "smtpserver.xml", conf -> JamesNode.edit(conf,
                "<announce>forUnauthorizedAddresses</announce>", "<announce>forUnauthorizedAddresses</announce>\n            " + oidc)));
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
        if (identityProvider != null) {
            identityProvider.stop(0);
        }
    }

    @Test
    void oauthBearerShouldRefuseAValidTokenOfAThirdPartyUserExactlyAsARejectedToken() throws Exception {
        assertThat(authenticate("OAUTHBEARER", oauthBearer("local@example.com", token("local@example.com", signingKey))))
            .as("the set-up works: a valid token of a local user logs in")
            .startsWith("A1 OK");

        assertThat(authenticate("OAUTHBEARER", oauthBearer("elsewhere@example.com", token("elsewhere@example.com", signingKey))))
            .isEqualTo(authenticate("OAUTHBEARER", oauthBearer("local@example.com", token("local@example.com", strangerKey))))
            .startsWith("A1 NO");
    }

    @Test
    void xoauth2ShouldRefuseAValidTokenOfAThirdPartyUserExactlyAsARejectedToken() throws Exception {
        assertThat(authenticate("XOAUTH2", xoauth2("local@example.com", token("local@example.com", signingKey))))
            .startsWith("A1 OK");

        assertThat(authenticate("XOAUTH2", xoauth2("elsewhere@example.com", token("elsewhere@example.com", signingKey))))
            .isEqualTo(authenticate("XOAUTH2", xoauth2("local@example.com", token("local@example.com", strangerKey))))
            .startsWith("A1 NO");
    }

    @Test
    void aLocalUsersTokenShouldNotOpenTheMailboxOfAThirdPartyUser() throws Exception {
        assertThat(authenticate("OAUTHBEARER", oauthBearer("elsewhere@example.com", token("local@example.com", signingKey))))
            .startsWith("A1 NO");
    }

    @Test
    void removingTheFlagShouldRestoreTheTokenLogin() throws Exception {
        james.data().addUser("returning@example.com", PASSWORD);
        james.putUserRouting("returning@example.com", "{\"thirdParty\":true}");
        assertThat(authenticate("OAUTHBEARER", oauthBearer("returning@example.com", token("returning@example.com", signingKey))))
            .startsWith("A1 NO");

        james.putUserRouting("returning@example.com", "{\"thirdParty\":false}");

        assertThat(authenticate("OAUTHBEARER", oauthBearer("returning@example.com", token("returning@example.com", signingKey))))
            .startsWith("A1 OK");
    }

    @Test
    void smtpOauthBearerShouldRefuseAValidTokenOfAThirdPartyUserExactlyAsARejectedToken() throws Exception {
        assertThat(smtpAuth("OAUTHBEARER", oauthBearer("local@example.com", token("local@example.com", signingKey))))
            .as("the set-up works: a valid token of a local user logs in")
            .containsExactly("235 Authentication successful.");

        assertThat(smtpAuth("OAUTHBEARER", oauthBearer("elsewhere@example.com", token("elsewhere@example.com", signingKey))))
            .isEqualTo(smtpAuth("OAUTHBEARER", oauthBearer("local@example.com", token("local@example.com", strangerKey))))
            .last().isEqualTo("535 Authentication Failed");
    }

    @Test
    void smtpXoauth2ShouldRefuseAValidTokenOfAThirdPartyUserExactlyAsARejectedToken() throws Exception {
        assertThat(smtpAuth("XOAUTH2", xoauth2("elsewhere@example.com", token("elsewhere@example.com", signingKey))))
            .isEqualTo(smtpAuth("XOAUTH2", xoauth2("local@example.com", token("local@example.com", strangerKey))))
            .last().isEqualTo("535 Authentication Failed");
        assertThat(smtpAuth("XOAUTH2", xoauth2("elsewhere@example.com", token("local@example.com", signingKey))))
            .as("a local user's token acting for a user hosted elsewhere")
            .last().asString().startsWith("535");
    }

    /** AUTH with an initial response on the submission port; every line the server answers, challenge included. */
    private java.util.List<String> smtpAuth(String mechanism, String initialResponse) throws Exception {
        try (Socket plain = new Socket("127.0.0.1", james.submissionPort())) {
            BufferedReader plainIn = new BufferedReader(new InputStreamReader(plain.getInputStream(), StandardCharsets.US_ASCII));
            Writer plainOut = new java.io.OutputStreamWriter(plain.getOutputStream(), StandardCharsets.US_ASCII);
            readSmtpReply(plainIn);
            plainOut.write("EHLO client.example\r\n");
            plainOut.flush();
            readSmtpReply(plainIn);
            plainOut.write("STARTTLS\r\n");
            plainOut.flush();
            assertThat(readSmtpReply(plainIn)).startsWith("220");
            // james-conf's submission takes credentials over STARTTLS only.
            Socket socket = TestTls.upgrade(plain);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            Writer out = new java.io.OutputStreamWriter(socket.getOutputStream(), StandardCharsets.US_ASCII);
            out.write("EHLO client.example\r\n");
            out.flush();
            readSmtpReply(in);
            out.write("AUTH " + mechanism + " " + initialResponse + "\r\n");
            out.flush();
            java.util.List<String> answer = new java.util.ArrayList<>();
            String line = readSmtpReply(in);
            answer.add(line);
            if (line.startsWith("334")) {
                // RFC 7628 3.2.3: a client answers the error challenge with a lone ^A.
                out.write("AQ==\r\n");
                out.flush();
                answer.add(readSmtpReply(in));
            }
            return answer;
        }
    }

    private static String readSmtpReply(BufferedReader in) throws java.io.IOException {
        String line = in.readLine();
        while (line != null && line.length() > 3 && line.charAt(3) == '-') {
            line = in.readLine();
        }
        return line;
    }

    /** One AUTHENTICATE with its initial response (SASL-IR) on a fresh connection: the tagged answer line. */
    private String authenticate(String mechanism, String initialResponse) throws Exception {
        try (Socket socket = TestTls.imapOverStartTls(james.imapPort())) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            Writer out = new java.io.OutputStreamWriter(socket.getOutputStream(), StandardCharsets.US_ASCII);
            out.write("A1 AUTHENTICATE " + mechanism + " " + initialResponse + "\r\n");
            out.flush();
            String line;
            while ((line = in.readLine()) != null && !line.startsWith("A1 ")) {
                if (line.startsWith("+")) {
                    // RFC 7628: a client answers an error challenge with a lone ^A.
                    out.write("AQ==\r\n");
                    out.flush();
                }
            }
            return line;
        }
    }

    private static String token(String email, KeyPair key) {
        return Jwts.builder()
            .setHeaderParam("kid", KEY_ID)
            .setSubject(email)
            .claim("email", email)
            .signWith(key.getPrivate(), SignatureAlgorithm.RS256)
            .compact();
    }

    // As James 3.8.1's OIDCSASLParser reads it: "n," then user= and auth= parts (it does not read RFC 7628's "n,a=user,").
    private static String oauthBearer(String user, String token) {
        return base64("n,user=" + user + "\u0001auth=Bearer " + token + "\u0001\u0001");
    }

    private static String xoauth2(String user, String token) {
        return base64("user=" + user + "\u0001auth=Bearer " + token + "\u0001\u0001");
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String jwks(RSAPublicKey key) {
        return "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"" + KEY_ID + "\",\"use\":\"sig\",\"alg\":\"RS256\","
            + "\"n\":\"" + base64Url(key.getModulus().toByteArray()) + "\",\"e\":\"" + base64Url(key.getPublicExponent().toByteArray()) + "\"}]}";
    }

    // JWK integers are unsigned big-endian: without the sign byte BigInteger may put in front.
    private static String base64Url(byte[] signed) {
        byte[] unsigned = signed.length > 1 && signed[0] == 0 ? Arrays.copyOfRange(signed, 1, signed.length) : signed;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(unsigned);
    }
}
