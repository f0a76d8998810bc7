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
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.google.common.collect.ImmutableMap;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.SignatureAlgorithm;

/**
 * WebAdmin is closed by default: james-conf asks for an administrator's JWT on every request and allows
 * no cross-origin call; the launcher makes the key and the token; docker-compose's key script and
 * provisioning work against the same James.
 */
class WebAdminAuthenticationTest {
    private static final String DOMAIN = "closed.example";

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class JamesConf {
        private JamesNode james;

        @BeforeAll
        void start() throws Exception {
            james = JamesNode.start("webadmin-auth");
            james.data().addDomain(DOMAIN);
        }

        @AfterAll
        void stop() {
            if (james != null) {
                james.close();
            }
        }

        @Test
        void theLauncherShouldLeaveAnAdministratorTokenOnlyItsOwnerCanRead() throws Exception {
            Path token = james.workingDirectory().resolve(WebAdminAccess.TOKEN_FILE);

            assertThat(Files.getPosixFilePermissions(token)).extracting(Object::toString)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
            james.webAdmin().get("/split-routing/domains").then().statusCode(200);
        }

        @Test
        void aRequestWithoutTokenShouldChangeNothing() {
            james.anonymousWebAdmin()
                .body("{\"relays\":[\"127.0.0.1:25\"]}")
                .put("/domains/" + DOMAIN + "/split-routing")
                .then()
                .statusCode(401);

            james.webAdmin().get("/domains/" + DOMAIN + "/split-routing").then().statusCode(404);
        }

        @Test
        void aReadWithoutTokenShouldBeRefusedToo() {
            james.anonymousWebAdmin().get("/split-routing/route?address=bob@" + DOMAIN).then().statusCode(401);
        }

        @Test
        void aTokenSignedByAnotherKeyShouldChangeNothing() throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            String forged = Jwts.builder().setSubject("admin@localhost").claim("admin", true)
                .signWith(generator.generateKeyPair().getPrivate(), SignatureAlgorithm.RS256).compact();

            james.anonymousWebAdmin()
                .header("Authorization", "Bearer " + forged)
                .body("{\"relays\":[\"127.0.0.1:25\"]}")
                .put("/domains/" + DOMAIN + "/split-routing")
                .then()
                .statusCode(401);

            james.webAdmin().get("/domains/" + DOMAIN + "/split-routing").then().statusCode(404);
        }

        @Test
        void aBrowserShouldGetNoCrossOriginPermission() {
            james.anonymousWebAdmin()
                .header("Origin", "http://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,authorization")
                .options("/split-routing/import")
                .then()
                .statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue())
                .header("Access-Control-Allow-Methods", nullValue())
                .header("Access-Control-Allow-Headers", nullValue());
            james.webAdmin()
                .header("Origin", "http://evil.example")
                .get("/split-routing/domains")
                .then()
                .statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue())
                .body("message", is("Cross-origin requests are refused: WebAdmin has CORS off (cors.enable=false in webadmin.properties),"
                    + " and http://evil.example is not its origin"));
        }

        @Test
        void aCrossSitePostShouldChangeNothingEvenWithAValidToken() {
            james.webAdmin()
                .header("Origin", "http://evil.example")
                .contentType("text/plain")
                .body("{\"domains\":[{\"domain\":\"" + DOMAIN + "\",\"relays\":[\"127.0.0.1:25\"]}],\"users\":[]}")
                .post("/split-routing/import")
                .then()
                .statusCode(403);

            james.webAdmin().get("/domains/" + DOMAIN + "/split-routing").then().statusCode(404);
        }

        @Test
        void aPageOfWebAdminsOwnOriginShouldBeServedWithoutCorsHeaders() {
            james.webAdmin()
                .header("Origin", "http://127.0.0.1:" + james.webAdminPort())
                .get("/split-routing/domains")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue());
        }

        @Test
        void aRestartShouldKeepTheKeySoThatIssuedTokensStayValid() throws Exception {
            String before = WebAdminAccess.token(james.workingDirectory()).orElseThrow();
            Path publicKey = james.workingDirectory().resolve("conf/webadmin-jwt-public.pem");
            String keyBefore = Files.readString(publicKey);

            ConfigurationDirectory.prepareOnLoopback(JamesNode.JAMES_CONF, james.workingDirectory(), ServerPorts.allEphemeral());

            assertThat(Files.readString(publicKey)).isEqualTo(keyBefore);
            james.anonymousWebAdmin().header("Authorization", "Bearer " + before)
                .get("/split-routing/domains").then().statusCode(200);
        }
    }

    @Nested
    class DockerCompose {
        @TempDir
        Path keys;

        @Test
        void theKeyScriptAndTheProvisioningShouldWorkAgainstJamesWithTheDockerWebAdminConfiguration() throws Exception {
            Path docker = JamesNode.JAMES_CONF.resolve("docker");
            run(keys, "sh", docker.resolve("make-keys.sh").toString(), keys.toString(), keys.resolve("keystore").toString(),
                keys.resolve("split-domain-loop.secret").toString());
            assertThat(keys.resolve("webadmin.token")).exists();
            // The STARTTLS keystore opens with the secret james-conf's servers give, as James opens it.
            KeyStore keystore = KeyStore.getInstance("PKCS12");
            try (java.io.InputStream in = Files.newInputStream(keys.resolve("keystore"))) {
                keystore.load(in, "split-domain-keystore".toCharArray());
            }
            assertThat(Files.readString(JamesNode.JAMES_CONF.resolve("smtpserver.xml"))).contains("<secret>split-domain-keystore</secret>");
            assertThat(keystore.isKeyEntry("james")).isTrue();
            String webAdmin = Files.readString(docker.resolve("webadmin.properties"));
            // As compose mounts it: the public key at /root/webadmin-jwt-public.pem; here, where the script wrote it.
            ImmutableMap<String, java.util.function.UnaryOperator<String>> dockerWebAdmin = ImmutableMap.of("webadmin.properties",
                conf -> JamesNode.edit(webAdmin,
                    "jwt.publickeypem.url=file:///root/webadmin-jwt-public.pem", "jwt.publickeypem.url=file://" + keys.resolve("webadmin-jwt-public.pem"),
                    "host=0.0.0.0", "host=127.0.0.1",
                    "port=8000", "port=0"));
            try (JamesNode master = JamesNode.start("compose-master", dockerWebAdmin);
                 JamesNode slave = JamesNode.start("compose-slave", dockerWebAdmin)) {
                String token = Files.readString(keys.resolve("webadmin.token")).trim();

                ProcessBuilder provision = new ProcessBuilder("sh", docker.resolve("provision.sh").toString());
                provision.environment().putAll(ImmutableMap.of(
                    "MASTER", "http://127.0.0.1:" + master.webAdminPort(),
                    "SLAVE", "http://127.0.0.1:" + slave.webAdminPort(),
                    "MASTER_RELAYS", "\"" + master.relayAddress() + "\"",
                    "TOKEN_FILE", keys.resolve("webadmin.token").toString()));
                assertThat(run(provision)).contains("master and slave provisioned");

                master.anonymousWebAdmin().header("Authorization", "Bearer " + token)
                    .get("/users/bob@example.com/split-routing").then().statusCode(200).body("thirdParty", is(true));
                slave.anonymousWebAdmin().header("Authorization", "Bearer " + token)
                    .get("/domains/example.com/split-routing").then().statusCode(200).body("forwardUnknown", is(true));
                master.anonymousWebAdmin().get("/users/bob@example.com/split-routing").then().statusCode(401);
            }
        }

        private String run(Path directory, String... command) throws Exception {
            return run(new ProcessBuilder(command).directory(directory.toFile()));
        }

        private String run(ProcessBuilder builder) throws Exception {
            Process process = builder.redirectErrorStream(true).start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", builder.command()).isTrue();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.exitValue()).as("%s exit code, output: %s", builder.command(), output).isZero();
            return output;
        }
    }
}
