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

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.splitdomain.testing.SmtpSink;

import com.google.common.collect.ImmutableMap;

import io.restassured.path.json.JsonPath;

/**
 * The MX of a slave under attack, in real James servers over real sockets: the partner and the attacker on 127.0.0.2,
 * innocent clients on 127.0.0.1. What is asserted is what each of them reads and how many probes reach the partner;
 * how fast is for {@code benchmarks/run.sh --edge}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmtpEdgeTest {
    private static final String PARTNER_ADDRESS = "127.0.0.2";
    private static final String ATTACKER_ADDRESS = "127.0.0.2";
    private static final String VERIFICATION = "split-recipient-verification.properties";
    /** Generous: a loaded CI machine may be slow, but never this slow for a banner or a local RCPT. */
    private static final Duration REPLY_DEADLINE = Duration.ofSeconds(20);

    /** A slave whose master answers every RCPT after 5 s (a tarpit), probed by 8 attacker sessions at once. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class UnderAttack {
        private static final int PROBES_PER_MINUTE = 6;
        private static final int ATTACKERS = 8;

        private JamesNode slave;
        private SmtpSink tarpit;

        @BeforeAll
        void start() throws Exception {
            slave = JamesNode.start("edge-attacked", ImmutableMap.of(VERIFICATION,
                conf -> conf + "probe.timeout=10s\nclient.probes.per.minute=" + PROBES_PER_MINUTE + "\n"));
            slave.data().addDomain("example.com");
            slave.data().addUser("alice@example.com", PASSWORD);
            tarpit = SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(0).knowing("bob@example.com")
                .answeringRcptAfter(Duration.ofSeconds(5)).start();
            slave.putDomainRouting("example.com", "{\"relays\":[\"" + tarpit.relay() + "\"],\"forwardUnknown\":true}");
        }

        @AfterAll
        void stop() {
            if (slave != null) {
                slave.close();
            }
            if (tarpit != null) {
                tarpit.close();
            }
        }

        @Test
        void anInnocentClientShouldBeServedWhileAttackersGet450AndThePartnerAtMostTheBudget() throws Exception {
            Instant attackStart = Instant.now();
            List<String> attackerReplies = new CopyOnWriteArrayList<>();
            AtomicBoolean attacking = new AtomicBoolean(true);
            ExecutorService attackers = Executors.newFixedThreadPool(ATTACKERS);
            List<Future<?>> sessions = new ArrayList<>();
            try {
                for (int session = 0; session < ATTACKERS; session++) {
                    int number = session;
                    sessions.add(attackers.submit(() -> attack(number, attacking, attackerReplies)));
                }
                // The attack in full swing: every session has had answers, and probes are running at the partner.
                AWAIT.untilAsserted(() -> assertThat(attackerReplies).hasSizeGreaterThanOrEqualTo(3 * ATTACKERS));

                for (int innocent = 0; innocent < 3; innocent++) {
                    try (SmtpSession session = SmtpSession.connectFrom("127.0.0.1", "127.0.0.1", slave.smtpPort(), REPLY_DEADLINE)) {
                        assertThat(session.banner()).startsWith("220 ");
                        assertThat(session.mailFrom("friend@external.org")).startsWith("250");
                        assertThat(session.rcptTo("alice@example.com")).startsWith("250");
                        assertThat(session.data("Subject: during the attack " + innocent + "\r\n\r\nhello alice\r\n")).startsWith("250");
                    }
                }
            } finally {
                attacking.set(false);
                for (Future<?> session : sessions) {
                    session.get(1, TimeUnit.MINUTES);
                }
                attackers.shutdownNow();
            }
            Duration attack = Duration.between(attackStart, Instant.now());

            assertThat(awaitMessages(slave, "alice@example.com", 3)).contains("Subject: during the attack 2");
            assertThat(attackerReplies).allSatisfy(reply -> assertThat(reply).startsWith("450 "));
            assertThat(attackerReplies).anySatisfy(reply -> assertThat(reply).startsWith("450 4.7.1 "));
            assertThat(attackerReplies).noneSatisfy(reply -> assertThat(reply).contains(PARTNER_ADDRESS));
            long minutesStarted = attack.toMinutes() + 1;
            assertThat(tarpit.recipientsAsked()).as("probes that reached the partner in %s", attack)
                .hasSizeLessThanOrEqualTo((int) (PROBES_PER_MINUTE * minutesStarted));
        }

        // One attacker session: unknown addresses, about 2 RCPTs a second, until told to stop.
        private void attack(int session, AtomicBoolean attacking, List<String> replies) {
            try (SmtpSession attacker = SmtpSession.connectFrom(ATTACKER_ADDRESS, "127.0.0.1", slave.smtpPort(), REPLY_DEADLINE)) {
                attacker.mailFrom("harvester@attacker.example");
                for (int guess = 0; attacking.get(); guess++) {
                    replies.add(attacker.rcptTo("guess-" + session + "-" + guess + "@example.com"));
                    TimeUnit.MILLISECONDS.sleep(500);
                }
            } catch (Exception e) {
                throw new IllegalStateException("attacker session " + session + " failed", e);
            }
        }
    }

    /** One client guesses 100 addresses, 10 of them real, in one session: it learns no more than its budget. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Harvest {
        private static final int PROBES_PER_MINUTE = 10;

        private JamesNode slave;
        private SmtpSink partner;

        @BeforeAll
        void start() throws Exception {
            slave = JamesNode.start("edge-harvested", ImmutableMap.of(VERIFICATION,
                conf -> conf + "client.probes.per.minute=" + PROBES_PER_MINUTE + "\n"));
            slave.data().addDomain("example.com");
            partner = SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(0)
                .knowing(IntStream.range(0, 10).mapToObj(i -> "user" + i + "@example.com").toArray(String[]::new)).start();
            slave.putDomainRouting("example.com", "{\"relays\":[\"" + partner.relay() + "\"],\"forwardUnknown\":true}");
        }

        @AfterAll
        void stop() {
            if (slave != null) {
                slave.close();
            }
            if (partner != null) {
                partner.close();
            }
        }

        @Test
        void aHarvestOfOneHundredGuessesShouldProbeNoMoreThanTheBudgetAndNameNoRelay() throws Exception {
            List<String> guesses = IntStream.range(0, 100)
                .mapToObj(i -> i % 10 == 0 ? "user" + i / 10 + "@example.com" : "guess" + i + "@example.com")
                .collect(Collectors.toList());
            List<String> replies = new ArrayList<>();
            try (SmtpSession harvester = SmtpSession.connectFrom(ATTACKER_ADDRESS, "127.0.0.1", slave.smtpPort(), REPLY_DEADLINE)) {
                harvester.mailFrom("harvester@attacker.example");
                for (String guess : guesses) {
                    replies.add(harvester.rcptTo(guess));
                }
            }

            assertThat(partner.recipientsAsked()).hasSizeLessThanOrEqualTo(PROBES_PER_MINUTE);
            List<String> throttled = replies.stream().filter(reply -> reply.startsWith("450 4.7.1 ")).collect(Collectors.toList());
            assertThat(throttled).hasSizeGreaterThanOrEqualTo(100 - PROBES_PER_MINUTE);
            assertThat(replies.get(99)).isEqualTo("450 4.7.1 <guess99@example.com>: too many recipients to verify from your address, "
                + "try again later");
            assertThat(replies.get(1)).isEqualTo("550 5.1.1 <guess1@example.com>: no such recipient");
            assertThat(replies).noneSatisfy(reply -> assertThat(reply).containsAnyOf(partner.relay(), PARTNER_ADDRESS, "virtual mailbox"));
            // What was probed is all it learned: 250 or 550 for those, and the same 450 for every other guess.
            assertThat(replies).filteredOn(reply -> reply.startsWith("250") || reply.startsWith("550"))
                .hasSize(partner.recipientsAsked().size());
        }
    }

    /** What james-conf answers at its edges: the MX takes no credentials and reaches the postmaster; the relay test is bounded. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class JamesConfEdges {
        private JamesNode james;

        @BeforeAll
        void start() throws Exception {
            james = JamesNode.start("edge-mx");
            james.data().addDomain("example.com");
            james.data().addUser("local@example.com", PASSWORD);
            james.data().addUser("elsewhere@example.com", PASSWORD);
            // The install steps: the server's postmaster is a mailbox someone reads.
            james.data().addUser("postmaster@mail.example.net", PASSWORD);
            james.putDomainRouting("example.com", "{\"relays\":[\"127.0.0.2:" + SmtpSink.freePort(PARTNER_ADDRESS) + "\"]}");
            james.putUserRouting("elsewhere@example.com", "{\"thirdParty\":true}");
        }

        @AfterAll
        void stop() {
            if (james != null) {
                james.close();
            }
        }

        private String authInClear(String user, String password) throws Exception {
            try (SmtpSession session = SmtpSession.connect(james.smtpPort())) {
                assertThat(session.reply()).doesNotContain("AUTH");
                return session.tryAuthenticateInClear(user, password);
            }
        }

        @Test
        void authOnTheMxShouldBeRefusedForEveryUserWithoutLookingAtThePassword() throws Exception {
            String refusal = authInClear("local@example.com", PASSWORD);

            assertThat(refusal).isEqualTo("504 Unrecognized Authentication Type");
            assertThat(authInClear("local@example.com", "wrong")).isEqualTo(refusal);
            assertThat(authInClear("elsewhere@example.com", PASSWORD)).isEqualTo(refusal);
            assertThat(authInClear("nobody@example.com", "whatever")).isEqualTo(refusal);
        }

        @Test
        void postmasterOfEveryLocalDomainShouldBeAcceptedAndReachThePostmaster() throws Exception {
            try (SmtpSession session = SmtpSession.connect(james.smtpPort())) {
                assertThat(session.mailFrom("someone@external.org")).startsWith("250");
                assertThat(session.rcptTo("postmaster@example.com")).startsWith("250");
                assertThat(session.rcptTo("PostMaster@mail.example.net")).startsWith("250");
                assertThat(session.data("Subject: for the postmaster\r\n\r\nabuse report\r\n")).startsWith("250");
            }

            assertThat(awaitMessages(james, "postmaster@mail.example.net", 1)).contains("Subject: for the postmaster");
        }

        @Test
        void theRelayTestOfARelayThatNeverGreetsShouldEndWithoutAStackTrace() throws Exception {
            try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getByName(PARTNER_ADDRESS))) {
                List<Socket> held = new CopyOnWriteArrayList<>();
                Thread acceptor = new Thread(() -> {
                    try {
                        while (true) {
                            held.add(silent.accept());
                        }
                    } catch (IOException e) {
                        // closed: the test is over
                    }
                });
                acceptor.setDaemon(true);
                acceptor.start();
                String relay = PARTNER_ADDRESS + ":" + silent.getLocalPort();
                james.data().addDomain("silent.example");
                james.putDomainRouting("silent.example", "{\"relays\":[\"" + relay + "\"]}");

                JsonPath report = JsonPath.from(james.webAdmin().post("/domains/silent.example/split-routing/relays/" + relay + "/test")
                    .then().statusCode(200).extract().asString());

                assertThat(report.getString("result")).isEqualTo("failed");
                assertThat(report.getList("steps.step")).containsExactly("connect");
                assertThat(report.getString("error")).doesNotContain("\tat ", "\n");
                assertThat(report.getList("dialogue", String.class)).allSatisfy(line -> assertThat(line).matches("[CS]: [A-Z0-9].*"))
                    .noneSatisfy(line -> assertThat(line).containsAnyOf("Exception", "\tat "));
                assertThat(held).isNotEmpty();
                for (Socket socket : held) {
                    socket.close();
                }
            } finally {
                james.webAdmin().delete("/domains/silent.example/split-routing");
            }
        }
    }
}
