package org.splitdomain.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.splitdomain.app.Mailboxes.PASSWORD;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.google.common.collect.ImmutableMap;

import io.restassured.http.ContentType;
import org.splitdomain.testing.SmtpSink;

/** JMAP (off in james-conf, turned on here with a keystore of the test's own) refuses third-party users. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JmapLoginGuardTest {
    private static final String ECHO = "{\"using\":[\"urn:ietf:params:jmap:core\"],\"methodCalls\":[[\"Core/echo\",{\"hello\":\"world\"},\"c1\"]]}";

    private JamesNode james;
    private int jmapPort;

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
        james = JamesNode.start("jmap-guard", ImmutableMap.of("jmap.properties", conf -> JamesNode.edit(conf,
            "enabled=false", "enabled=true\njmap.port=" + jmapPort
                + "\ntls.keystoreURL=file://" + keystore + "\ntls.secret=keystore-secret")));
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
        return given()
            .baseUri("http://127.0.0.1")
            .port(jmapPort)
            .auth().preemptive().basic(user, password)
            .header("Accept", "application/json; jmapVersion=rfc-8621")
            .contentType(ContentType.JSON)
            .body(ECHO)
        .when()
            .post("/jmap")
        .then()
            .extract()
            .statusCode();
    }

    @Test
    void jmapShouldRefuseAThirdPartyUserWithTheRightPassword() {
        assertThat(echoAs("elsewhere@example.com", PASSWORD)).isEqualTo(401);
        assertThat(echoAs("local@example.com", "wrong")).isEqualTo(401);
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
