package org.splitdomain.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitdomain.app.Mailboxes.PASSWORD;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.common.collect.ImmutableMap;
import org.splitdomain.testing.SmtpSink;

/**
 * Settings in James's JPA database (embedded Derby, as the JPA flavour ships it) through
 * {@code guice.extension.module=...JpaSplitRoutingModule}, read from {@code james-database.properties}:
 * James stopped and started again on the same storage routes exactly as before.
 */
class JpaRestartTest {
    private Path database;
    private SmtpSink relay;
    private JamesNode james;

    @BeforeEach
    void setUp() throws Exception {
        database = Files.createTempDirectory("split-domain-derby-").resolve("james");
        relay = SmtpSink.accepting(SmtpSink.freePort());
    }

    @AfterEach
    void tearDown() {
        if (james != null) {
            james.close();
        }
        relay.close();
    }

    private Map<String, UnaryOperator<String>> jpaStore() {
        return ImmutableMap.of(
            "extensions.properties", conf -> JamesNode.edit(conf, "org.splitdomain.guice.MemorySplitRoutingModule", "org.splitdomain.guice.JpaSplitRoutingModule"),
            "james-database.properties", conf -> "database.driverClassName=org.apache.derby.jdbc.EmbeddedDriver\n"
                + "database.url=jdbc:derby:" + database + ";create=true\n"
                + "database.username=app\n"
                + "database.password=app\n");
    }

    // The memory flavour underneath keeps users and domains in memory: give them again after a restart,
    // as the JPA flavour would have kept them.
    private static void provision(JamesNode node) throws Exception {
        node.data().addDomain("example.com");
        node.data().addUser("bob@example.com", PASSWORD);
        node.data().addUser("alice@example.com", PASSWORD);
    }

    private String export() {
        return james.webAdmin().get("/split-routing/export").then().statusCode(200).extract().asString();
    }

    private String route(String address) {
        return james.explainRoute(address).getString("decisions[0].route");
    }

    @Test
    void settingsAndRoutingShouldBeUnchangedAfterARestartOnTheSameDatabase() throws Exception {
        james = JamesNode.start("jpa", jpaStore());
        provision(james);
        james.putDomainRouting("example.com", "{\"relays\":[\"127.0.0.1:" + relay.port() + "\",\"127.0.0.1:2\"],\"forwardUnknown\":true}");
        james.putUserRouting("bob@example.com", "{\"thirdParty\":true,\"forwardedAddresses\":[\"bob@example.com\"]}");
        james.putUserRouting("alice@example.com", "{\"thirdParty\":false}");
        String before = export();
        Path work = james.workingDirectory();

        james.close();
        james = JamesNode.restart("jpa", work);
        provision(james);

        assertThat(export()).isEqualTo(before);
        assertThat(route("bob@example.com")).isEqualTo("relay");
        assertThat(route("alice@example.com")).isEqualTo("local");
        assertThat(route("nobody@example.com")).isEqualTo("relay");
        SmtpSession.send(james.smtpPort(), "sender@external.org", "Subject: after restart\r\n\r\nhello\r\n", "bob@example.com");
        Awaitility.await().atMost(Duration.ofSeconds(30))
            .until(() -> relay.received().stream().anyMatch(mail -> mail.content.contains("Subject: after restart")));
    }
}
