package org.splitdomain.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.james.utils.TestIMAPClient;
import org.junit.jupiter.api.Test;

/** The README's demo command: a master and a slave, provisioned through WebAdmin, relaying to each other. */
class SplitDomainDemoTest {
    @Test
    void demoShouldRelayBobsMailFromTheMasterToTheSlaveAndPrintHowToTryIt() throws Exception {
        Path work = Files.createTempDirectory("demo-");
        try (SplitDomainDemo demo = SplitDomainDemo.start(SplitDomainDemo.jamesConf(), work,
            ServerPorts.allEphemeral(), ServerPorts.allEphemeral())) {
            int masterSmtp = demo.master().smtpPort();

            SmtpSession.send(masterSmtp, "someone@external.org", "Subject: demo\r\n\r\nhello bob\r\n", "bob@example.com");

            try (TestIMAPClient imap = Mailboxes.connect(TestTls.imapClient(), "127.0.0.1", demo.slave().imapPort())) {
                imap.login("bob@example.com", SplitDomainDemo.PASSWORD)
                    .select(TestIMAPClient.INBOX)
                    .awaitMessageCount(Mailboxes.AWAIT, 1);
                assertThat(imap.readFirstMessage()).contains("Subject: demo");
            }
            assertThat(demo.instructions())
                .contains("swaks --server 127.0.0.1:" + masterSmtp + " --from someone@external.org --to bob@example.com")
                .contains("/split-routing/route?address=bob@example.com");
            // Each server its own log, its name in every line: the master relayed bob's mail, the slave delivered it.
            Mailboxes.AWAIT.untilAsserted(() -> assertThat(Files.readAllLines(demo.master().log()))
                .anyMatch(line -> line.contains("[master] INFO  RelaySender - ") && line.contains("to bob@example.com") && line.contains("status=sent")));
            assertThat(Files.readAllLines(demo.master().log())).filteredOn(line -> line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*"))
                .isNotEmpty().allMatch(line -> line.contains(" [master] "));
            assertThat(Files.readAllLines(demo.slave().log())).filteredOn(line -> line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*"))
                .isNotEmpty().allMatch(line -> line.contains(" [slave] "));
        }
    }
}
