package org.splitdomain.app;

import java.time.Duration;

import org.apache.commons.net.imap.IMAPClient;
import org.apache.james.utils.TestIMAPClient;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** Reads mailboxes over IMAP, as the user would. */
public final class Mailboxes {
    public static final String PASSWORD = "secret";
    public static final ConditionFactory AWAIT = Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200));

    private Mailboxes() {
    }

    /**
     * Waits until the INBOX holds exactly {@code count} messages and returns the raw IMAP FETCH answer
     * with all of them (headers and bodies).
     */
    public static String awaitMessages(JamesNode node, String user, int count) throws Exception {
        IMAPClient client = new IMAPClient();
        try (TestIMAPClient imap = new TestIMAPClient(client)) {
            imap.connect(node.address(), node.imapPort())
                .login(user, PASSWORD)
                .select(TestIMAPClient.INBOX)
                .awaitMessageCount(AWAIT, count);
            client.fetch("1:*", "(BODY[])");
            return client.getReplyString();
        }
    }

    public static long messageCount(JamesNode node, String user) throws Exception {
        try (TestIMAPClient imap = new TestIMAPClient()) {
            imap.connect(node.address(), node.imapPort())
                .login(user, PASSWORD);
            return imap.getMessageCount(TestIMAPClient.INBOX);
        }
    }
}
