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
import static org.splitdomain.app.Mailboxes.AWAIT;
import static org.splitdomain.app.Mailboxes.PASSWORD;
import static org.splitdomain.app.Mailboxes.messageCount;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.splitdomain.testing.SmtpSink;

/**
 * James as the slave: it checks a new address at its master over a new session (250), then delivers over a session it
 * opened before the master learnt that address. The master's session keeps its first answer (Postfix's smtpd keeps
 * its maps until its client leaves) and refuses it with 550: the refusal is asked again on a new connection, and the
 * mail is delivered, with no DSN to its sender.
 */
class RelayReusedConnectionTest {
    private static void sendFromAlice(JamesNode slave, String recipient) throws Exception {
        try (SmtpSession session = SmtpSession.connect(slave.submissionPort())) {
            session.authenticate("alice@example.com", PASSWORD);
            session.mailFrom("alice@example.com");
            assertThat(session.rcptTo(recipient)).startsWith("250");
            assertThat(session.data("Subject: for " + recipient + "\r\n\r\nhello\r\n")).startsWith("250");
        }
    }

    @Test
    void anAddressTheMasterLearntWhileAConnectionToItWasOpenShouldBeDeliveredWithoutDsn() throws Exception {
        Set<String> known = ConcurrentHashMap.newKeySet();
        known.add("bob@example.com");
        // Idle connections are kept a minute here, so that the second mail finds the first one's.
        try (SmtpSink master = SmtpSink.builder().bindAddress("127.0.0.2").port(0).knowingAsOfSessionStart(known).start();
             JamesNode slave = JamesNode.start("reused-connection", conf -> JamesNode.edit(conf,
                 "<maxRetries>5</maxRetries>", "<maxRetries>5</maxRetries>\n                <connectionIdleTime>1 minute</connectionIdleTime>"))) {
            slave.data().addDomain("example.com");
            slave.data().addUser("alice@example.com", PASSWORD);
            slave.putDomainRouting("example.com", "{\"relays\":[\"" + master.relay() + "\"],\"forwardUnknown\":true,\"verifyRecipients\":true}");
            sendFromAlice(slave, "bob@example.com");
            AWAIT.untilAsserted(() -> assertThat(master.received()).hasSize(1));

            known.add("carol@example.com");
            sendFromAlice(slave, "carol@example.com");

            AWAIT.untilAsserted(() -> assertThat(master.received()).hasSize(2));
            assertThat(master.received().get(1).recipients).containsExactly("carol@example.com");
            // Refused once, by the session that began before the master knew her.
            assertThat(master.refusedRecipients()).containsExactly("carol@example.com");
            slave.awaitIdle();
            assertThat(messageCount(slave, "alice@example.com")).isZero();
        }
    }
}
