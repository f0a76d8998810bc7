package org.splitdomain.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.apache.james.utils.TestIMAPClient;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A master and a slave James, both booted from james-conf/, wired to each other over real SMTP.
 * The master knows every user of example.com; bob is hosted on the slave (third-party at the master).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MasterSlaveRoutingTest {
    private static final String PASSWORD = "secret";
    private static final ConditionFactory AWAIT = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200));

    private JamesNode master;
    private JamesNode slave;

    @BeforeAll
    void startServers() throws Exception {
        master = JamesNode.start("master");
        slave = JamesNode.start("slave");

        master.data().addDomain("example.com");
        master.data().addUser("alice@example.com", PASSWORD);
        master.data().addUser("bob@example.com", PASSWORD);
        slave.data().addDomain("example.com");
        slave.data().addUser("bob@example.com", PASSWORD);

        master.putDomainRouting("example.com", "{\"relays\":[\"" + slave.relayAddress() + "\"],\"forwardUnknown\":false}");
        slave.putDomainRouting("example.com", "{\"relays\":[\"" + master.relayAddress() + "\"],\"forwardUnknown\":true}");
        master.putUserRouting("bob@example.com", "{\"thirdParty\":true}");
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

    @Test
    void mailToThirdPartyUserAtMasterShouldReachItsMailboxOnTheSlave() throws Exception {
        SmtpSession.send(master.smtpPort(), "sender@external.org",
            "Subject: for bob on the slave\r\n\r\nhello bob\r\n", "bob@example.com");

        try (TestIMAPClient imap = new TestIMAPClient()) {
            imap.connect("127.0.0.1", slave.imapPort())
                .login("bob@example.com", PASSWORD)
                .select(TestIMAPClient.INBOX)
                .awaitMessageCount(AWAIT, 1);
            assertThat(imap.readFirstMessage())
                .contains("Subject: for bob on the slave")
                .contains("Delivered-To: bob@example.com");
        }
    }
}
