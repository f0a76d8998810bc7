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

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.net.imap.AuthenticatingIMAPClient;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

import io.restassured.path.json.JsonPath;

/**
 * A master and a slave for example.com, each the stock JPA server of the official image in a JVM of its own with the
 * drop-in jar (master on 127.0.0.1, slave on 127.0.0.2), everything in their Derby databases: mail over real SMTP read
 * over real IMAP for every kind of route, the login guard, and mail queued for the slave while it is down surviving a
 * stop and a {@code kill -9} of the master, delivered once each when the slave is back, nothing provisioned again.
 */
class JpaMasterSlaveTest {
    private static final ConditionFactory AWAIT = Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250));
    private static final String SLAVE_ADDRESS = "127.0.0.2";
    private static final String SENDER = "someone@external.org";
    private static final int QUEUED = 10;

    private JamesProcess master;
    private JamesProcess slave;

    @AfterEach
    void tearDown() throws Exception {
        for (JamesProcess james : new JamesProcess[] {master, slave}) {
            if (james != null) {
                james.close();
            }
        }
    }

    // Retries every second, and a relay that failed is tried again after a second: the test waits on the slave's return, not on a schedule.
    private static Map<String, UnaryOperator<String>> quickRetries(String bindAddress) {
        return ImmutableMap.of("mailetcontainer.xml", conf -> JamesNode.edit(conf,
            "<delayTime>1 minute, 5 minutes, 30 minutes, 2 hours, 6 hours</delayTime>", "<delayTime>1 second</delayTime>",
            "<maxRetries>5</maxRetries>", "<maxRetries>1000</maxRetries>\n<failedRelayTime>1 second</failedRelayTime>"
                + "\n<bindAddress>" + bindAddress + "</bindAddress>"));
    }

    @Test
    void aJpaMasterAndSlaveShouldRouteEveryKindOfAddressAndKeepQueuedMailThroughAStopAndAKill() throws Exception {
        master = JamesProcess.prepare("jpa-master", Flavour.JPA, "127.0.0.1", quickRetries("127.0.0.1")).startStockJpa();
        slave = JamesProcess.prepare("jpa-slave", Flavour.JPA, SLAVE_ADDRESS, quickRetries(SLAVE_ADDRESS)).startStockJpa();
        provision();

        // third-party user: relayed unchanged to the slave, where his mailbox is
        SmtpSession.send(master.smtpPort(), SENDER, "Subject: for bob\r\n\r\nhi bob\r\n", "bob@example.com");
        assertThat(messages(slave, "bob@example.com", 1)).contains("Subject: for bob").contains("Delivered-To: bob@example.com");
        // forward-unknown: the slave does not know alice, the master does
        SmtpSession.send(SLAVE_ADDRESS, slave.smtpPort(), SENDER, "Subject: for alice\r\n\r\nhi alice\r\n", "alice@example.com");
        assertThat(messages(master, "alice@example.com", 1)).contains("Subject: for alice");
        // a subset of addresses: dave's partner alias goes to the slave, his own address stays here
        SmtpSession.send(master.smtpPort(), SENDER, "Subject: for dave's partner address\r\n\r\nhi\r\n", "dave.partner@example.com");
        SmtpSession.send(master.smtpPort(), SENDER, "Subject: for dave himself\r\n\r\nhi\r\n", "dave@example.com");
        assertThat(messages(slave, "dave.partner@example.com", 1)).contains("Subject: for dave's partner address");
        assertThat(messages(master, "dave@example.com", 1)).contains("Subject: for dave himself");
        // a group with a third-party member: his copy to the slave, the local member's here
        SmtpSession.send(master.smtpPort(), SENDER, "Subject: for the team\r\n\r\nhi team\r\n", "team@example.com");
        assertThat(messages(master, "alice@example.com", 2)).contains("Subject: for the team");
        assertThat(messages(slave, "bob@example.com", 2)).contains("Subject: for the team");
        // nobody hosts it, and the master knows everyone: refused at RCPT
        try (SmtpSession session = SmtpSession.connect(master.smtpPort())) {
            assertThat(session.mailFrom(SENDER)).startsWith("250");
            assertThat(session.rcptTo("nobody@example.com")).startsWith("550 5.1.1");
        }
        // the login guard: bob has a password here, and his login is refused as a wrong password is
        assertThat(imapLogin(master, "bob@example.com", PASSWORD))
            .isEqualTo(imapLogin(master, "alice@example.com", "wrong"))
            .contains(" NO ");
        assertThat(imapLogin(slave, "bob@example.com", PASSWORD)).contains(" OK ");

        String settings = export(master);
        List<String> users = users(master);

        // The slave is down: mail for bob waits on the master, across a stop and a crash of the master.
        slave.close();
        for (int i = 0; i < QUEUED; i++) {
            SmtpSession.send(master.smtpPort(), "alice@example.com", "Subject: queued " + i + "\r\n\r\nwaits for the slave\r\n", "bob@example.com");
        }
        awaitWaiting(master, QUEUED);
        master.close();
        master.startStockJpa();
        awaitWaiting(master, QUEUED);
        master.kill();
        master.startStockJpa();
        awaitWaiting(master, QUEUED);

        assertThat(export(master)).isEqualTo(settings);
        assertThat(users(master)).isEqualTo(users);
        assertThat(master.webAdmin().get("/address/groups/team@example.com").then().statusCode(200).extract().jsonPath().getList("", String.class))
            .containsExactlyInAnyOrder("alice@example.com", "bob@example.com");
        assertThat(messages(master, "alice@example.com", 2)).contains("Subject: for alice", "Subject: for the team");

        slave.startStockJpa();

        String bobsMail = messages(slave, "bob@example.com", 2 + QUEUED);
        for (int i = 0; i < QUEUED; i++) {
            assertThat(occurrences(bobsMail, "Subject: queued " + i + "\r\n")).as("queued mail %s delivered once", i).isEqualTo(1);
        }
        awaitWaiting(master, 0);
        // nothing bounced to the sender
        assertThat(Mailboxes.messageCount(master.address(), master.imapPort(), "alice@example.com")).isEqualTo(2);
    }

    private void provision() {
        for (JamesProcess james : ImmutableList.of(master, slave)) {
            james.webAdmin().put("/domains/example.com").then().statusCode(204);
        }
        for (String user : ImmutableList.of("alice@example.com", "bob@example.com", "dave@example.com")) {
            master.webAdmin().body("{\"password\":\"" + PASSWORD + "\"}").put("/users/" + user).then().statusCode(204);
        }
        master.webAdmin().put("/address/aliases/dave@example.com/sources/dave.partner@example.com").then().statusCode(204);
        master.webAdmin().put("/address/groups/team@example.com/alice@example.com").then().statusCode(204);
        master.webAdmin().put("/address/groups/team@example.com/bob@example.com").then().statusCode(204);
        for (String user : ImmutableList.of("bob@example.com", "dave.partner@example.com")) {
            slave.webAdmin().body("{\"password\":\"" + PASSWORD + "\"}").put("/users/" + user).then().statusCode(204);
        }

        master.webAdmin().body("{\"relays\":[\"" + slave.relayAddress() + "\"],\"forwardUnknown\":false}")
            .put("/domains/example.com/split-routing").then().statusCode(204);
        master.webAdmin().body("{\"thirdParty\":true}").put("/users/bob@example.com/split-routing").then().statusCode(204);
        master.webAdmin().body("{\"thirdParty\":true,\"forwardedAddresses\":[\"dave.partner@example.com\"]}")
            .put("/users/dave@example.com/split-routing").then().statusCode(204);
        slave.webAdmin().body("{\"relays\":[\"" + master.relayAddress() + "\"],\"forwardUnknown\":true}")
            .put("/domains/example.com/split-routing").then().statusCode(204);
    }

    private static String messages(JamesProcess james, String user, int count) throws Exception {
        return Mailboxes.awaitMessages(james.address(), james.imapPort(), user, count);
    }

    private static String imapLogin(JamesProcess james, String user, String password) throws Exception {
        AuthenticatingIMAPClient client = new AuthenticatingIMAPClient(false);
        client.setTrustManager(TestTls.trustManager());
        client.connect(james.address(), james.imapPort());
        try {
            if (!client.execTLS()) {
                throw new IllegalStateException("STARTTLS refused: " + client.getReplyString());
            }
            client.login(user, password);
            return client.getReplyString().trim().replaceFirst("^\\S+", "");
        } finally {
            client.disconnect();
        }
    }

    private static String export(JamesProcess james) {
        return james.webAdmin().get("/split-routing/export").then().statusCode(200).extract().asString();
    }

    private static List<String> users(JamesProcess james) {
        return james.webAdmin().get("/users").then().statusCode(200).extract().jsonPath().getList("username", String.class);
    }

    private static void awaitWaiting(JamesProcess james, int mails) {
        AWAIT.untilAsserted(() -> assertThat(JsonPath.from(james.webAdmin().get("/split-routing/queue/mails").then().statusCode(200)
            .extract().asString()).getList("name")).hasSize(mails));
    }

    private static int occurrences(String text, String part) {
        Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
