package org.splitdomain.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The product as an operator installs it: a stock James memory server (its own JVM, James's class
 * path only) with our packaged jar in extensions-jars/ and james-conf/ as its configuration.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DropInDeploymentTest {
    private Process james;
    private int smtpPort;
    private int webAdminPort;
    private Path work;

    @BeforeAll
    void startStockJamesWithTheJar() throws Exception {
        Path jar = Paths.get(System.getProperty("drop-in.jar"));
        assertThat(jar).as("the packaged drop-in jar (run 'mvn verify')").exists();
        smtpPort = SmtpSink.freePort();
        webAdminPort = SmtpSink.freePort();
        work = Files.createTempDirectory("drop-in-");
        ConfigurationDirectory.prepareOnLoopback(JamesNode.JAMES_CONF, work, ServerPorts.parse(
            "smtp=" + smtpPort + ",submission=0,imap=0,pop3=0,webadmin=" + webAdminPort));
        Files.createDirectories(work.resolve("extensions-jars"));
        Files.copy(jar, work.resolve("extensions-jars").resolve("james-split-domain.jar"));

        // James's class path: everything this test runs with, minus our own classes.
        String jamesClassPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> !entry.contains("splitdomain") && !entry.contains("split-domain")
                && !entry.startsWith(JamesNode.JAMES_CONF.getParent().toString()))
            .collect(Collectors.joining(File.pathSeparator));
        james = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dworking.directory=" + work, "-Dlogback.configurationFile=" + work.resolve("conf/logback.xml"),
            "-cp", jamesClassPath, "org.apache.james.MemoryJamesServerMain")
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("james.log").toFile())
            .start();

        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
            .until(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webAdminPort + "/split-routing/domains")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }

    @AfterAll
    void stop() throws Exception {
        if (james != null) {
            james.destroy();
            james.waitFor();
        }
    }

    private RequestSpecification webAdmin() {
        return given().baseUri("http://127.0.0.1").port(webAdminPort).contentType(ContentType.JSON);
    }

    @Test
    void thirdPartyMailShouldBeRelayedByTheJarLoadedFromExtensionsJars() throws Exception {
        try (SmtpSink partner = SmtpSink.accepting(SmtpSink.freePort())) {
            webAdmin().put("/domains/example.com").then().statusCode(204);
            webAdmin().body("{\"password\":\"secret\"}").put("/users/bob@example.com").then().statusCode(204);
            webAdmin().body("{\"relays\":[\"127.0.0.1:" + partner.port() + "\"],\"forwardUnknown\":false}")
                .put("/domains/example.com/split-routing").then().statusCode(204);
            webAdmin().body("{\"thirdParty\":true}").put("/users/bob@example.com/split-routing").then().statusCode(204);

            try (SmtpSession session = SmtpSession.connect(smtpPort)) {
                session.mailFrom("sender@external.org");
                assertThat(session.rcptTo("nobody@example.com")).startsWith("550 5.1.1");
                assertThat(session.rcptTo("bob@example.com")).startsWith("250");
                assertThat(session.data("Subject: through the drop-in jar\r\n\r\nhi\r\n")).startsWith("250");
            }

            Mailboxes.AWAIT.untilAsserted(() -> assertThat(partner.received()).hasSize(1));
            assertThat(partner.received().get(0).recipients).containsExactly("bob@example.com");
            assertThat(partner.received().get(0).content).contains("X-Split-Domain-Relayed: bob@example.com");
        }
    }
}
