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


import org.apache.james.modules.MailboxProbeImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A master and a slave James, both booted from james-conf/, wired to each other over real SMTP,
 * checked over real SMTP and IMAP sockets.
 *
 * <p>example.com is split. The master knows every user: alice and frank are hosted on the master,
 * bob, gina and hugo on the slave (third-party at the master, all their addresses forwarded), dave on the
 * master but his alias dave.partner@ on the slave (third-party with a chosen subset). The slave knows
 * only bob, gina, hugo, dave.partner and erin and forwards unknown addresses to the master.</p>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MasterSlaveRoutingTest {
    private JamesNode master;
    private JamesNode slave;

    @BeforeAll
    void startServers() throws Exception {
        master = JamesNode.start("master");
        slave = JamesNode.start("slave");

        master.data().addDomain("example.com");
        for (String user : new String[] {"alice", "bob", "dave", "frank", "gina", "hugo"}) {
            master.data().addUser(user + "@example.com", PASSWORD);
        }
        master.data().addUserAliasMapping("dave.partner", "example.com", "dave@example.com");
        master.data().addGroupAliasMapping("team@example.com", "frank@example.com");
        master.data().addGroupAliasMapping("team@example.com", "gina@example.com");

        slave.data().addDomain("example.com");
        for (String user : new String[] {"bob", "gina", "hugo", "dave.partner", "erin"}) {
            slave.data().addUser(user + "@example.com", PASSWORD);
        }

        master.putDomainRouting("example.com", "{\"relays\":[\"" + slave.relayAddress() + "\"],\"forwardUnknown\":false}");
        slave.putDomainRouting("example.com", "{\"relays\":[\"" + master.relayAddress() + "\"],\"forwardUnknown\":true}");
        master.putUserRouting("bob@example.com", "{\"thirdParty\":true}");
        master.putUserRouting("gina@example.com", "{\"thirdParty\":true}");
        master.putUserRouting("hugo@example.com", "{\"thirdParty\":true}");
        master.putUserRouting("dave@example.com", "{\"thirdParty\":true,\"forwardedAddresses\":[\"dave.partner@example.com\"]}");
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

    // Third-party users cannot log in at the master (login guard), and nothing was ever delivered
    // there for them: James creates the INBOX on first delivery.
    private void assertNoMailboxAtTheMaster(String user) {
        assertThat(master.server().getProbe(MailboxProbeImpl.class).listUserMailboxes(user)).isEmpty();
    }

    @Nested
    class Master {
        @Test
        void mailToThirdPartyUserShouldReachItsMailboxOnTheSlaveWithTheAddressUnchanged() throws Exception {
            SmtpSession.send(master.smtpPort(), "sender@external.org",
                "Subject: for bob on the slave\r\n\r\nhello bob\r\n", "bob@example.com");

            assertThat(awaitMessages(slave, "bob@example.com", 1))
                .contains("Subject: for bob on the slave")
                .contains("Delivered-To: bob@example.com");
            assertNoMailboxAtTheMaster("bob@example.com");
        }

        @Test
        void mixedCaseAddressShouldRouteAsItsPlainForm() throws Exception {
            try (SmtpSession session = SmtpSession.connect(master.smtpPort())) {
                session.mailFrom("sender@external.org");
                assertThat(session.rcptTo("Hugo@EXAMPLE.Com")).startsWith("250");
                assertThat(session.rcptTo("NoBody@Example.COM")).startsWith("550 5.1.1");
                assertThat(session.data("Subject: shouting\r\n\r\nHI HUGO\r\n")).startsWith("250");
            }

            assertThat(awaitMessages(slave, "hugo@example.com", 1)).contains("Subject: shouting");
            assertNoMailboxAtTheMaster("hugo@example.com");
        }

        @Test
        void forwardedAliasShouldGoToTheSlaveWhileTheUnforwardedAddressIsDeliveredHere() throws Exception {
            SmtpSession.send(master.smtpPort(), "sender@external.org",
                "Subject: to the partner alias\r\n\r\nhello\r\n", "dave.partner@example.com");
            SmtpSession.send(master.smtpPort(), "sender@external.org",
                "Subject: to dave himself\r\n\r\nhello\r\n", "dave@example.com");

            assertThat(awaitMessages(slave, "dave.partner@example.com", 1))
                .contains("Subject: to the partner alias")
                .contains("Delivered-To: dave.partner@example.com");
            assertThat(awaitMessages(master, "dave@example.com", 1))
                .contains("Subject: to dave himself")
                .doesNotContain("to the partner alias");
        }

        @Test
        void unknownAddressShouldBeRefusedAtRcptWhenTheDomainDoesNotForwardUnknownAddresses() throws Exception {
            try (SmtpSession session = SmtpSession.connect(master.smtpPort())) {
                session.mailFrom("sender@external.org");

                assertThat(session.rcptTo("nobody@example.com"))
                    .startsWith("550 5.1.1")
                    .contains("nobody@example.com");
            }
        }

        @Test
        void aQuotedLocalPartHoldingAnAtSignShouldBeRefusedForGoodOnBothServers() throws Exception {
            for (JamesNode node : new JamesNode[] {master, slave}) {
                try (SmtpSession session = SmtpSession.connect(node.smtpPort())) {
                    session.mailFrom("sender@external.org");

                    assertThat(session.rcptTo("\"a@b\"@example.com"))
                        .isEqualTo("553 5.1.3 <\"a@b\"@example.com>: this server has no mailbox of that form");
                }
            }
        }

        @Test
        void groupShouldSendTheThirdPartyMembersCopyToTheSlaveAndKeepTheOthersHere() throws Exception {
            SmtpSession.send(master.smtpPort(), "sender@external.org",
                "Subject: team news\r\n\r\nhello team\r\n", "team@example.com");

            assertThat(awaitMessages(master, "frank@example.com", 1)).contains("Subject: team news");
            assertThat(awaitMessages(slave, "gina@example.com", 1))
                .contains("Subject: team news")
                .contains("Delivered-To: gina@example.com");
            assertNoMailboxAtTheMaster("gina@example.com");
        }
    }

    @Nested
    class Slave {
        @Test
        void unknownAddressShouldBeRelayedToTheMasterAndDeliveredThereWhenTheMasterHostsIt() throws Exception {
            SmtpSession.send(slave.smtpPort(), "sender@external.org",
                "Subject: for alice via the slave\r\n\r\nhello alice\r\n", "alice@example.com");

            assertThat(awaitMessages(master, "alice@example.com", 1))
                .contains("Subject: for alice via the slave")
                .contains("Delivered-To: alice@example.com");
        }

        @Test
        void addressNobodyHostsShouldBeRefusedAtRcptAsTheMasterRefusesItAndBounceNowhere() throws Exception {
            try (SmtpSession session = SmtpSession.connect(slave.submissionPort())) {
                session.authenticate("erin@example.com", PASSWORD);
                assertThat(session.mailFrom("erin@example.com")).startsWith("250");
                // The slave asks the master first (recipient verification): what the master refuses is refused here.
                assertThat(session.rcptTo("nobody@example.com")).isEqualTo("550 5.1.1 <nobody@example.com>: no such recipient");
            }

            JamesNode.awaitIdle(slave, master);
            assertThat(messageCount(slave, "erin@example.com")).isZero();
        }
    }

    @Nested
    class NoOpenRelay {
        @Test
        void masterShouldNotRelayForAnUnauthenticatedClient() throws Exception {
            assertRelayDenied(master.smtpPort());
            assertRelayDenied(master.submissionPort());
        }

        @Test
        void slaveShouldNotRelayForAnUnauthenticatedClientEvenThoughItForwardsUnknownAddresses() throws Exception {
            assertRelayDenied(slave.smtpPort());
            assertRelayDenied(slave.submissionPort());
        }

        private void assertRelayDenied(int port) throws Exception {
            try (SmtpSession session = SmtpSession.connect(port)) {
                session.mailFrom("spammer@external.org");

                assertThat(session.rcptTo("victim@elsewhere.org"))
                    .matches("5[35]0 5\\.7\\.1 .*");
            }
        }
    }
}
