package org.splitdomain.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.common.collect.ImmutableMap;
import org.splitdomain.testing.SmtpSink;

/**
 * The JPA store as an operator installs it: a stock James in its own JVM, with OpenJPA, Derby and
 * James's JPA backend on its class path as the JPA flavour ships them, our jar in extensions-jars/,
 * {@code guice.extension.module=...JpaSplitRoutingModule} and {@code james-database.properties}
 * pointing at Derby in the working directory. Our entities are loaded by James's extension class
 * loader, not the application's; the JVM is then stopped and started again on the same storage.
 */
class DropInJpaDeploymentTest {
    private JamesProcess james;

    @AfterEach
    void stop() throws Exception {
        if (james != null) {
            james.close();
        }
    }

    private static Map<String, UnaryOperator<String>> jpaStore() {
        return ImmutableMap.of(
            "extensions.properties", conf -> JamesNode.edit(conf, "org.splitdomain.guice.MemorySplitRoutingModule", "org.splitdomain.guice.JpaSplitRoutingModule"),
            // Relative to the working directory, as in James's own james-database.properties.
            "james-database.properties", conf -> "database.driverClassName=org.apache.derby.jdbc.EmbeddedDriver\n"
                + "database.url=jdbc:derby:var/store/derby;create=true\n"
                + "database.username=app\n"
                + "database.password=app\n");
    }

    private void provision() {
        james.webAdmin().put("/domains/example.com").then().statusCode(204);
        james.webAdmin().body("{\"password\":\"secret\"}").put("/users/bob@example.com").then().statusCode(204);
    }

    private String export() {
        return james.webAdmin().get("/split-routing/export").then().statusCode(200).extract().asString();
    }

    @Test
    void settingsWrittenThroughTheDropInJarShouldBeThereAfterARestartAndRouteMail() throws Exception {
        james = JamesProcess.prepare("jpa", jpaStore()).startStock();
        provision();
        james.webAdmin().body("{\"relays\":[\"127.0.0.1:2\"],\"forwardUnknown\":false}")
            .put("/domains/example.com/split-routing").then().statusCode(204);
        james.webAdmin().body("{\"thirdParty\":true}").put("/users/bob@example.com/split-routing").then().statusCode(204);
        assertThat(export()).isEqualTo("{\"domains\":[{\"domain\":\"example.com\",\"relays\":[\"127.0.0.1:2\"],\"forwardUnknown\":false,\"verifyRecipients\":false}],"
            + "\"users\":[{\"username\":\"bob@example.com\",\"thirdParty\":true}]}");
        String before = export();

        james.close();
        james.startStock();
        provision();

        assertThat(export()).isEqualTo(before);
        try (SmtpSink partner = SmtpSink.accepting(SmtpSink.freePort())) {
            james.webAdmin().body("{\"relays\":[\"127.0.0.1:" + partner.port() + "\"],\"forwardUnknown\":false}")
                .put("/domains/example.com/split-routing").then().statusCode(204);

            SmtpSession.send(james.smtpPort(), "sender@external.org", "Subject: after restart\r\n\r\nhi\r\n", "bob@example.com");

            Mailboxes.AWAIT.untilAsserted(() -> assertThat(partner.received()).hasSize(1));
            assertThat(partner.received().get(0).recipients).containsExactly("bob@example.com");
        }
    }
}
