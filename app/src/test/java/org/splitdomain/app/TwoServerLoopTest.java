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
import static org.splitdomain.app.Mailboxes.awaitMessages;
import static org.splitdomain.app.Mailboxes.messageCount;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.restassured.path.json.JsonPath;

/**
 * The two-server configurations that used to accept a mail and then bounce it after it went round, in real James
 * servers: a master on 127.0.0.2 and a slave on 127.0.0.1, each the other's relay, clients on 127.0.0.1.
 *
 * <ul>
 *     <li>{@code a.example}: the master flags carol, whom the slave does not host (and bob, whom it does); the master
 *     verifies its third-party users, the slave verifies what it forwards.</li>
 *     <li>{@code b.example}: both forward unknown addresses to the other; only the slave verifies.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoServerLoopTest {
    private static final String VERIFICATION_CHECK = "/healthcheck/checks/Split-domain recipient verification";

    private JamesNode master;
    private JamesNode slave;

    @BeforeAll
    void startServers() throws Exception {
        master = JamesNode.startOn("loop-master", "127.0.0.2", conf -> conf);
        slave = JamesNode.start("loop-slave");
        for (JamesNode node : new JamesNode[] {master, slave}) {
            node.data().addDomain("a.example");
            node.data().addDomain("b.example");
        }
        master.data().addUser("alice@a.example", PASSWORD);
        master.data().addUser("bob@a.example", PASSWORD);
        master.data().addUser("carol@a.example", PASSWORD);
        master.data().addUser("frank@b.example", PASSWORD);
        slave.data().addUser("bob@a.example", PASSWORD);
        slave.data().addUser("erin@a.example", PASSWORD);
        slave.data().addUser("gina@b.example", PASSWORD);

        master.putDomainRouting("a.example", "{\"relays\":[\"" + slave.relayAddress() + "\"],\"forwardUnknown\":false,\"verifyRecipients\":true}");
        master.putUserRouting("bob@a.example", "{\"thirdParty\":true}");
        master.putUserRouting("carol@a.example", "{\"thirdParty\":true}");
        slave.putDomainRouting("a.example", "{\"relays\":[\"" + master.relayAddress() + "\"],\"forwardUnknown\":true}");

        master.putDomainRouting("b.example", "{\"relays\":[\"" + slave.relayAddress() + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}");
        slave.putDomainRouting("b.example", "{\"relays\":[\"" + master.relayAddress() + "\"],\"forwardUnknown\":true}");
    }

    @AfterAll
    void stopServers() {
        if (slave != null) {
            slave.close();
        }
        if (master != null) {
            master.close();
        }
    }

    /** One mail from {@code sender} for {@code refused}, which must be refused at RCPT, and {@code accepted}: only the latter gets it. */
    private static void sendRefusingOne(JamesNode node, String sender, String refused, String accepted, String subject) throws Exception {
        try (SmtpSession session = SmtpSession.connect(node.address(), node.smtpPort())) {
            session.mailFrom(sender);
            assertThat(session.rcptTo(refused)).isEqualTo("550 5.1.1 <" + refused + ">: no such recipient");
            assertThat(session.rcptTo(accepted)).startsWith("250");
            assertThat(session.data("Subject: " + subject + "\r\n\r\nhello\r\n")).startsWith("250");
        }
    }

    @Test
    void aFlaggedUserTheSlaveDoesNotHostShouldBeRefusedAtRcptOnBothSidesWithNoDsn() throws Exception {
        sendRefusingOne(master, "alice@a.example", "carol@a.example", "bob@a.example", "via the master");
        sendRefusingOne(slave, "erin@a.example", "carol@a.example", "bob@a.example", "via the slave");

        assertThat(awaitMessages(slave, "bob@a.example", 2)).contains("Subject: via the master", "Subject: via the slave");
        JamesNode.awaitIdle(master, slave);
        assertThat(messageCount(master, "alice@a.example")).as("DSNs at the master").isZero();
        assertThat(messageCount(slave, "erin@a.example")).as("DSNs at the slave").isZero();
    }

    @Test
    void anAddressNobodyHostsShouldBeRefusedAtRcptByTheSideThatVerifiesWithNoDsn() throws Exception {
        sendRefusingOne(slave, "erin@a.example", "nobody@b.example", "gina@b.example", "for gina and nobody");

        assertThat(awaitMessages(slave, "gina@b.example", 1)).contains("Subject: for gina and nobody");
        JamesNode.awaitIdle(master, slave);
        assertThat(messageCount(slave, "erin@a.example")).as("DSNs at the slave").isZero();
    }

    @Test
    void theSideThatDoesNotVerifyShouldSaySoAndBounceAfterOneHopNotAfterALoop() throws Exception {
        JsonPath masterCheck = JsonPath.from(master.anonymousWebAdmin().get(VERIFICATION_CHECK).then().statusCode(200).extract().asString());
        assertThat(masterCheck.getString("status")).isEqualTo("degraded");
        assertThat(masterCheck.getString("cause")).isEqualTo("b.example forwards unknown addresses without verifying them at RCPT: an "
            + "address nobody hosts is accepted, then bounced to its sender, who may be forged; set \"verifyRecipients\": true");
        assertThat(JsonPath.from(slave.anonymousWebAdmin().get(VERIFICATION_CHECK).then().statusCode(200).extract().asString())
            .getString("status")).isEqualTo("healthy");

        // What cannot be prevented on the master: it accepts, the slave refuses at RCPT (the master answered its probe
        // 550), and the master bounces at once, where the mail used to go round both servers first.
        try (SmtpSession session = SmtpSession.connect(master.address(), master.smtpPort())) {
            session.mailFrom("frank@b.example");
            assertThat(session.rcptTo("nobody@b.example")).startsWith("250");
            assertThat(session.data("Subject: into the master\r\n\r\nanyone?\r\n")).startsWith("250");
        }

        assertThat(awaitMessages(master, "frank@b.example", 1))
            .contains("nobody@b.example", "550 5.1.1 <nobody@b.example>: no such recipient")
            .doesNotContain("5.4.6");
        JamesNode.awaitIdle(master, slave);
        assertThat(messageCount(master, "frank@b.example")).isEqualTo(1);
    }
}
