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
import static org.splitdomain.app.Mailboxes.awaitMessages;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.splitdomain.testing.SmtpSink;

/**
 * James's spool delivers relayed mail at once (README, "Relay delivery"), so a relay that turns silent could hold the spool
 * threads local mail needs. It holds at most {@code immediateDeliveryThreads} of them (8 of james-conf's 20), and only
 * until it is known to be slow: the rest of its mail waits in the relay queue, and local mail goes on.
 */
class RelaySpoolGuardTest {
    private static final int RELAYED = 20;
    private static final int LOCAL = 30;
    private static final int IMMEDIATE_DELIVERY_THREADS = 8;

    private final AtomicReference<Instant> answersFrom = new AtomicReference<>(Instant.MIN);
    private SmtpSink relay;
    private JamesNode master;

    @BeforeEach
    void setUp() throws Exception {
        // Answers the end of DATA once answersFrom has passed: quick at first, then 30 s late.
        relay = SmtpSink.builder().bindAddress("127.0.0.2").port(0)
            .holdingDataWhile(() -> Instant.now().isBefore(answersFrom.get()))
            .start();
        master = JamesNode.start("spool-guard");
        master.data().addDomain("example.com");
        master.data().addUser("alice@example.com", PASSWORD);
        master.data().addUser("bob@example.com", PASSWORD);
        master.putDomainRouting("example.com", "{\"relays\":[\"" + relay.relay() + "\"]}");
        master.putUserRouting("bob@example.com", "{\"thirdParty\":true}");
    }

    @AfterEach
    void tearDown() {
        answersFrom.set(Instant.MIN);
        if (master != null) {
            master.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void aRelayAnsweringIn30SecondsShouldLeaveLocalDeliveryToTheRestOfTheSpool() throws Exception {
        // The relay answers quickly once: James's spool may now deliver to it at once.
        SmtpSession.send(master.smtpPort(), "someone@external.org", "Subject: quick\r\n\r\nhello\r\n", "bob@example.com");
        master.awaitIdle();
        assertThat(relay.received()).hasSize(1);

        answersFrom.set(Instant.now().plus(Duration.ofSeconds(30)));
        for (int i = 0; i < RELAYED; i++) {
            SmtpSession.send(master.smtpPort(), "someone@external.org", "Subject: relayed " + i + "\r\n\r\nwaits\r\n", "bob@example.com");
        }
        for (int i = 0; i < LOCAL; i++) {
            SmtpSession.send(master.smtpPort(), "someone@external.org", "Subject: local " + i + "\r\n\r\nhere\r\n", "alice@example.com");
        }

        // Every local mail is delivered while the relay has answered none of the relayed ones: all of them are still on
        // their way, at most IMMEDIATE_DELIVERY_THREADS of them on spool threads, the others in the relay queue.
        awaitMessages(master, "alice@example.com", LOCAL);
        AWAIT.untilAsserted(() -> assertThat(relayQueueSize()).isEqualTo(RELAYED));
        assertThat(spoolSize()).isLessThanOrEqualTo(IMMEDIATE_DELIVERY_THREADS);
        assertThat(Instant.now()).as("the relay still holds its answers").isBefore(answersFrom.get());

        // Nothing lost: once the relay answers, every relayed mail is delivered and nothing is left anywhere.
        answersFrom.set(Instant.MIN);
        master.awaitIdle();
        assertThat(relay.received()).hasSize(1 + RELAYED);
    }

    private int relayQueueSize() {
        return master.webAdmin().get("/split-routing/queue").then().statusCode(200).extract().jsonPath().getInt("mails");
    }

    private long spoolSize() {
        return master.webAdmin().get("/mailQueues/spool").then().statusCode(200).extract().jsonPath().getLong("size");
    }
}
