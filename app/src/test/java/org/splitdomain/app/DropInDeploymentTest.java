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
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.google.common.collect.ImmutableMap;
import org.splitdomain.testing.SmtpSink;

/**
 * The product as an operator installs it: a stock James memory server (its own JVM, James's class
 * path only) with our packaged jar in extensions-jars/ and james-conf/ as its configuration.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DropInDeploymentTest {
    private JamesProcess james;

    @BeforeAll
    void startJamesProcessWithTheJar() throws Exception {
        james = JamesProcess.prepare("memory", ImmutableMap.of()).startStock();
    }

    @AfterAll
    void stop() throws Exception {
        if (james != null) {
            james.close();
        }
    }

    @Test
    @Order(1)
    void theShippedConfigurationShouldBeHealthyFromTheStart() {
        // Every split-domain check included: the loop secret james-conf names is there (the launcher made it).
        james.webAdmin().get("/healthcheck").then().statusCode(200)
            .body("status", equalTo("healthy"))
            .body("checks.componentName", hasItems("Split-domain loop secret", "Split-domain relays",
                "Split-domain relays are not this server"));
    }

    @Test
    void thirdPartyMailShouldBeRelayedByTheJarLoadedFromExtensionsJars() throws Exception {
        try (SmtpSink partner = SmtpSink.accepting(SmtpSink.freePort())) {
            james.webAdmin().put("/domains/example.com").then().statusCode(204);
            james.webAdmin().body("{\"password\":\"secret\"}").put("/users/bob@example.com").then().statusCode(204);
            james.webAdmin().body("{\"relays\":[\"127.0.0.1:" + partner.port() + "\"],\"forwardUnknown\":false}")
                .put("/domains/example.com/split-routing").then().statusCode(204);
            james.webAdmin().body("{\"thirdParty\":true}").put("/users/bob@example.com/split-routing").then().statusCode(204);

            try (SmtpSession session = SmtpSession.connect(james.smtpPort())) {
                session.mailFrom("sender@external.org");
                assertThat(session.rcptTo("nobody@example.com")).startsWith("550 5.1.1");
                assertThat(session.rcptTo("bob@example.com")).startsWith("250");
                assertThat(session.data("Subject: through the drop-in jar\r\n\r\nhi\r\n")).startsWith("250");
            }

            Mailboxes.AWAIT.untilAsserted(() -> assertThat(partner.received()).hasSize(1));
            assertThat(partner.received().get(0).recipients).containsExactly("bob@example.com");
            assertThat(partner.received().get(0).content).contains("X-Split-Domain-Relayed: v=2; t=")
                .doesNotContain("X-Split-Domain-Relayed: bob@example.com");
        }
    }
}
