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

import static io.restassured.RestAssured.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.splitdomain.app.Mailboxes.AWAIT;
import static org.splitdomain.app.Mailboxes.PASSWORD;
import static org.splitdomain.app.Mailboxes.awaitMessages;
import static org.splitdomain.app.Mailboxes.messageCount;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.splitdomain.testing.SmtpSink;

/**
 * A master whose relay is down, then back; and a relay that refuses with a permanent error.
 * The master is james-conf/ with retry delays shortened to keep the test fast.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayFailureTest {
    private JamesNode master;

    @BeforeAll
    void startMaster() throws Exception {
        master = JamesNode.start("failing-relays", conf -> JamesNode.edit(conf,
            "<delayTime>1 minute, 5 minutes, 30 minutes, 2 hours, 6 hours</delayTime>", "<delayTime>1 second</delayTime>",
            // A relay that could not be reached is skipped for a second only, so that each retry tries it.
            "<maxRetries>5</maxRetries>", "<maxRetries>100</maxRetries>\n                <failedRelayTime>1 second</failedRelayTime>"));
        master.data().addDomain("down.example");
        master.data().addDomain("reject.example");
        master.data().addUser("hank@down.example", PASSWORD);
        master.data().addUser("ivan@reject.example", PASSWORD);
        master.data().addUser("judy@reject.example", PASSWORD);
        master.data().addDomain("failover.example");
        master.data().addDomain("east.example");
        master.data().addDomain("west.example");
        master.data().addUser("kim@failover.example", PASSWORD);
        master.putUserRouting("hank@down.example", "{\"thirdParty\":true}");
        master.putUserRouting("kim@failover.example", "{\"thirdParty\":true}");
        master.putUserRouting("ivan@reject.example", "{\"thirdParty\":true}");
    }

    @AfterAll
    void stopMaster() {
        if (master != null) {
            master.close();
        }
    }

    @Test
    void mailShouldStayQueuedWhileTheRelayIsDownAndBeDeliveredOnceItIsBack() throws Exception {
        int relayPort = SmtpSink.freePort();
        master.putDomainRouting("down.example", "{\"relays\":[\"127.0.0.1:" + relayPort + "\"]}");

        SmtpSession.send(master.smtpPort(), "sender@external.org",
            "Subject: while the relay is down\r\n\r\nplease wait\r\n", "hank@down.example");

        // Several delivery attempts fail meanwhile; the mail must still be there, not bounced.
        AWAIT.untilAsserted(() -> assertThat(master.waitingMails().getList("retries", Integer.class))
            .singleElement().satisfies(retries -> assertThat(retries).isGreaterThanOrEqualTo(3)));
        // It waits in James's mail repository of the waiting room, where James's own routes see it too.
        assertThat(master.webAdmin().get("/mailRepositories/var%2Fmail%2Fsplit-domain-relay-waiting").then().statusCode(200)
            .extract().jsonPath().getLong("size")).isEqualTo(1);

        try (SmtpSink relay = SmtpSink.accepting(relayPort)) {
            AWAIT.untilAsserted(() -> assertThat(relay.received()).hasSize(1));
            SmtpSink.Received received = relay.received().get(0);
            assertThat(received.recipients).containsExactly("hank@down.example");
            assertThat(received.sender).isEqualTo("sender@external.org");
            assertThat(received.content).contains("Subject: while the relay is down");
            // james-conf's heloName, not the machine's name (README, "Names").
            assertThat(received.helo).isEqualTo("mx1.example.net");
        }
    }

    @Test
    void permanentRefusalByTheRelayShouldSendExactlyOneDsnToTheSender() throws Exception {
        try (SmtpSink relay = SmtpSink.rejectingRecipients(SmtpSink.freePort(), 550, "5.1.1 no such mailbox here")) {
            master.putDomainRouting("reject.example", "{\"relays\":[\"127.0.0.1:" + relay.port() + "\"]}");

            try (SmtpSession session = SmtpSession.connect(master.submissionPort())) {
                session.authenticate("judy@reject.example", PASSWORD);
                session.mailFrom("judy@reject.example");
                assertThat(session.rcptTo("ivan@reject.example")).startsWith("250");
                assertThat(session.data("Subject: to ivan\r\n\r\nhello ivan\r\n")).startsWith("250");
            }

            assertThat(awaitMessages(master, "judy@reject.example", 1))
                .contains("ivan@reject.example")
                .contains("550 5.1.1 no such mailbox here")
                // From james-conf's defaultDomain, not postmaster@localhost (README, "Names").
                .containsPattern("(?m)^From: .*postmaster@mail\\.example\\.net");
            master.awaitIdle();
            assertThat(messageCount(master, "judy@reject.example")).isEqualTo(1);
            assertThat(relay.received()).isEmpty();
        }
    }

    @Test
    void secondRelayShouldTakeTheMailWhenTheFirstIsDown() throws Exception {
        try (SmtpSink backup = SmtpSink.accepting(SmtpSink.freePort())) {
            // Picked while the backup holds its port: the two relays can never be the same port.
            int downPort = SmtpSink.freePort();
            master.putDomainRouting("failover.example",
                "{\"relays\":[\"127.0.0.1:" + downPort + "\",\"127.0.0.1:" + backup.port() + "\"]}");

            SmtpSession.send(master.smtpPort(), "sender@external.org", "Subject: fail over\r\n\r\nhi\r\n", "kim@failover.example");

            AWAIT.untilAsserted(() -> assertThat(backup.received()).hasSize(1));
            assertThat(backup.received().get(0).recipients).containsExactly("kim@failover.example");
        }
    }

    @Test
    void recipientsOfOneMailShouldBeSplitByRelay() throws Exception {
        try (SmtpSink east = SmtpSink.accepting(SmtpSink.freePort());
             SmtpSink west = SmtpSink.accepting(SmtpSink.freePort())) {
            master.putDomainRouting("east.example", "{\"relays\":[\"127.0.0.1:" + east.port() + "\"],\"forwardUnknown\":true}");
            master.putDomainRouting("west.example", "{\"relays\":[\"127.0.0.1:" + west.port() + "\"],\"forwardUnknown\":true}");

            SmtpSession.send(master.smtpPort(), "sender@external.org", "Subject: both sides\r\n\r\nhi\r\n",
                "someone@east.example", "other@east.example", "someone@west.example");

            AWAIT.untilAsserted(() -> {
                assertThat(east.received()).hasSize(1);
                assertThat(west.received()).hasSize(1);
            });
            assertThat(east.received().get(0).recipients).containsExactlyInAnyOrder("someone@east.example", "other@east.example");
            assertThat(west.received().get(0).recipients).containsExactly("someone@west.example");
        }
    }
}
