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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.common.collect.ImmutableMap;
import org.splitdomain.testing.SmtpSink;

/**
 * The extension as an operator installs it on the official JPA image: James 3.8.1's JPA server in a JVM of its own, on
 * its own class path (no JMAP, none of our classes), our jar in {@code extensions-jars/}, james-conf with its
 * {@code flavours/jpa/} files, and the database on embedded Derby in the working directory. Users, domains and settings
 * are in that database: after a restart nothing is provisioned again.
 */
class DropInJpaDeploymentTest {
    private JamesProcess james;

    @AfterEach
    void stop() throws Exception {
        if (james != null) {
            james.close();
        }
    }

    private String export() {
        return james.webAdmin().get("/split-routing/export").then().statusCode(200).extract().asString();
    }

    @Test
    void settingsUsersAndDomainsShouldSurviveARestartAndRouteMail() throws Exception {
        james = JamesProcess.prepare("jpa", Flavour.JPA, "127.0.0.1", ImmutableMap.of()).startStockJpa();
        // Healthy from the start: the loop secret james-conf names is there, and no relay is set yet.
        james.webAdmin().get("/healthcheck").then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("healthy"));
        james.webAdmin().put("/domains/example.com").then().statusCode(204);
        james.webAdmin().body("{\"password\":\"secret\"}").put("/users/bob@example.com").then().statusCode(204);
        james.webAdmin().body("{\"relays\":[\"127.0.0.2:2\"],\"forwardUnknown\":false}")
            .put("/domains/example.com/split-routing").then().statusCode(204);
        james.webAdmin().body("{\"thirdParty\":true}").put("/users/bob@example.com/split-routing").then().statusCode(204);
        assertThat(export()).isEqualTo("{\"domains\":[{\"domain\":\"example.com\",\"relays\":[\"127.0.0.2:2\"],\"forwardUnknown\":false,\"verifyRecipients\":false}],"
            + "\"users\":[{\"username\":\"bob@example.com\",\"thirdParty\":true}]}");
        String before = export();

        james.close();
        james.startStockJpa();

        assertThat(export()).isEqualTo(before);
        james.webAdmin().head("/users/bob@example.com").then().statusCode(200);
        try (SmtpSink partner = SmtpSink.builder().bindAddress("127.0.0.2").port(SmtpSink.freePort("127.0.0.2")).start()) {
            james.webAdmin().body("{\"relays\":[\"127.0.0.2:" + partner.port() + "\"],\"forwardUnknown\":false}")
                .put("/domains/example.com/split-routing").then().statusCode(204);

            SmtpSession.send(james.smtpPort(), "sender@external.org", "Subject: after restart\r\n\r\nhi\r\n", "bob@example.com");

            Mailboxes.AWAIT.untilAsserted(() -> assertThat(partner.received()).hasSize(1));
            assertThat(partner.received().get(0).recipients).containsExactly("bob@example.com");
        }
    }

    @Test
    void theJpaServerShouldRefuseToStartOnAMailetContainerNamingJmapMatchers() throws Exception {
        // What flavours/jpa/mailetcontainer.xml named until it took the JPA image's structure: the JPA server has no JMAP.
        james = JamesProcess.prepare("jpa-jmap", Flavour.JPA, "127.0.0.1", ImmutableMap.of("mailetcontainer.xml", conf -> JamesNode.edit(conf,
            "<matcher match=\"SentByMailet\"/>", "<matcher match=\"SentByMailet\"/>\n<matcher match=\"org.apache.james.jmap.mailet.SentByJmap\"/>")));

        assertThat(james.startStockJpaExpectingRefusal()).isNotZero();
        assertThat(james.consoleOutput()).contains("Can not load matcher org.apache.james.jmap.mailet.SentByJmap");
    }

    @Test
    void theJpaServerShouldRefuseToStartWithSettingsKeptInMemory() throws Exception {
        james = JamesProcess.prepare("jpa-memory-store", Flavour.JPA, "127.0.0.1", ImmutableMap.of("extensions.properties", conf -> JamesNode.edit(conf,
            "guice.extension.module=org.splitdomain.guice.JpaSplitRoutingModule", "guice.extension.module=org.splitdomain.guice.MemorySplitRoutingModule")));

        assertThat(james.startStockJpaExpectingRefusal()).isNotZero();
        assertThat(james.consoleOutput())
            .contains("Split-routing settings are kept in memory (extensions.properties: guice.extension.module=org.splitdomain.guice.MemorySplitRoutingModule)"
                + " while James keeps its users in org.apache.james.user.jpa.JPAUsersRepository")
            .contains("use 'guice.extension.module=org.splitdomain.guice.JpaSplitRoutingModule' (JPA server)");
    }
}
