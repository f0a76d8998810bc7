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

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import org.apache.commons.net.MalformedServerReplyException;
import org.apache.commons.net.imap.IMAPSClient;
import org.apache.james.utils.TestIMAPClient;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** Reads mailboxes over IMAP, as the user would. */
public final class Mailboxes {
    public static final String PASSWORD = "secret";
    public static final ConditionFactory AWAIT = Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200));
    private static final Pattern FETCHED = Pattern.compile("(?m)^\\* [0-9]+ FETCH ");

    private Mailboxes() {
    }

    /**
     * Waits until the INBOX holds exactly {@code count} messages and returns the raw IMAP FETCH answer
     * with all of them (headers and bodies).
     */
    public static String awaitMessages(JamesNode node, String user, int count) throws Exception {
        return awaitMessages(node.address(), node.imapPort(), user, count);
    }

    public static String awaitMessages(String address, int imapPort, String user, int count) throws Exception {
        AtomicReference<String> fetched = new AtomicReference<>();
        // A new session at each try: what the caller asserts is the mailbox as one whole reading gives it.
        // commons-net's IMAP client once lost count of a FETCH literal and took its closing ')' for a reply of its own
        // (stop 16, once in several runs), and James's memory mailbox once answered an EXAMINE with the new message
        // counted and the FETCH right after without it (LoopPreventionTest in CI, stop 27): both are read again.
        AWAIT.ignoreException(MalformedServerReplyException.class).untilAsserted(() -> {
            IMAPSClient client = TestTls.imapClient();
            try (TestIMAPClient imap = connect(client, address, imapPort)) {
                imap.login(user, PASSWORD);
                // The mailbox's EXISTS count, read anew by each EXAMINE: James's TestIMAPClient.awaitMessageCount counts
                // every untagged line of a FETCH answer, an EXISTS or RECENT among them.
                assertThat(imap.getMessageCount(TestIMAPClient.INBOX)).isEqualTo(count);
                imap.select(TestIMAPClient.INBOX);
                client.fetch("1:*", "(BODY[])");
                String reply = client.getReplyString();
                assertThat(FETCHED.matcher(reply).results().count()).as("messages in the FETCH answer %s", reply).isEqualTo(count);
                fetched.set(reply);
            }
        });
        return fetched.get();
    }


    public static long messageCount(JamesNode node, String user) throws Exception {
        return messageCount(node.address(), node.imapPort(), user);
    }

    public static long messageCount(String address, int imapPort, String user) throws Exception {
        try (TestIMAPClient imap = connect(TestTls.imapClient(), address, imapPort)) {
            imap.login(user, PASSWORD);
            return imap.getMessageCount(TestIMAPClient.INBOX);
        }
    }

    /** Connected and over STARTTLS, as james-conf's IMAP takes no login in clear; not logged in yet. */
    public static TestIMAPClient connect(IMAPSClient client, String address, int imapPort) throws Exception {
        TestIMAPClient imap = new TestIMAPClient(client);
        imap.connect(address, imapPort);
        if (!client.execTLS()) {
            throw new IllegalStateException("STARTTLS refused: " + client.getReplyString());
        }
        return imap;
    }
}
