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
package org.splitdomain.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.net.smtp.SMTPClient;

/**
 * An innocent client of two identical MXs, one of them under issue 21's attack: {@code attackers} sessions from the
 * attacker's address send RCPTs for unknown addresses of a verifying domain to it, about 2 a second each. The innocent
 * client opens {@code sessions} sessions from 127.0.0.1 at each, at one then the other in turn, each timed from connect to
 * banner and for its RCPT of a local user: both sets of figures are taken under the same load of the machine, which a
 * shared machine changes from one minute to the next. Prints {@code key=value} lines for {@code run.sh}: percentiles in
 * milliseconds ({@code baseline_*} for the quiet MX, {@code attack_*} for the attacked one), and what the attackers were
 * answered.
 *
 * <pre>
 * SmtpEdgeBenchmark host quietPort attackedPort localRecipient attackerAddress verifiedDomain attackers sessions
 * </pre>
 */
public final class SmtpEdgeBenchmark {
    private static final Duration PAUSE = Duration.ofMillis(100);
    private static final Duration ATTACKER_PAUSE = Duration.ofMillis(500);
    private static final int TIMEOUT_MS = 60_000;

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int quietPort = Integer.parseInt(args[1]);
        int attackedPort = Integer.parseInt(args[2]);
        String localRecipient = args[3];
        InetAddress attackerAddress = InetAddress.getByName(args[4]);
        String verifiedDomain = args[5];
        int attackers = Integer.parseInt(args[6]);
        int sessions = Integer.parseInt(args[7]);

        InnocentClient innocent = new InnocentClient(host, localRecipient);
        Timings quiet = new Timings();
        Timings attacked = new Timings();
        for (int i = 0; i < sessions / 5; i++) {
            innocent.session(quietPort, new Timings(), "warm");
            innocent.session(attackedPort, new Timings(), "warm");
        }

        Attack attack = new Attack(host, attackedPort, attackerAddress, verifiedDomain, attackers);
        attack.start();
        for (int i = 0; i < sessions; i++) {
            innocent.session(quietPort, quiet, "baseline");
            innocent.session(attackedPort, attacked, "attack");
        }
        attack.stop();
        quiet.print("baseline");
        attacked.print("attack");
        attack.print();
    }

    /** Milliseconds to banner and to the RCPT's reply, one per session. */
    private static final class Timings {
        private final List<Double> banner = new ArrayList<>();
        private final List<Double> rcpt = new ArrayList<>();

        void print(String phase) {
            print(phase + "_banner", banner);
            print(phase + "_rcpt", rcpt);
        }

        private static void print(String name, List<Double> values) {
            List<Double> sorted = values.stream().sorted().toList();
            System.out.printf("%s_p50_ms=%.2f%n", name, percentile(sorted, 0.50));
            System.out.printf("%s_p95_ms=%.2f%n", name, percentile(sorted, 0.95));
            System.out.printf("%s_max_ms=%.2f%n", name, sorted.get(sorted.size() - 1));
        }

        private static double percentile(List<Double> sorted, double quantile) {
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1));
        }
    }

    private static final class InnocentClient {
        private final String host;
        private final String localRecipient;

        InnocentClient(String host, String localRecipient) {
            this.host = host;
            this.localRecipient = localRecipient;
        }

        void session(int port, Timings timings, String phase) throws Exception {
            SMTPClient client = new SMTPClient();
            client.setDefaultTimeout(TIMEOUT_MS);
            client.setConnectTimeout(TIMEOUT_MS);
            try {
                long start = System.nanoTime();
                client.connect(host, port);
                timings.banner.add(millisSince(start));
                expect(client, client.getReplyCode() == 220, phase + " banner");
                client.setTcpNoDelay(true);
                client.helo("innocent.example");
                client.setSender("friend@external.example");
                long rcpt = System.nanoTime();
                boolean accepted = client.addRecipient(localRecipient);
                timings.rcpt.add(millisSince(rcpt));
                expect(client, accepted, phase + " RCPT " + localRecipient);
                client.quit();
            } finally {
                client.disconnect();
            }
            TimeUnit.MILLISECONDS.sleep(PAUSE.toMillis());
        }
    }

    /** Attacker sessions from one address, each guessing addresses about twice a second until stopped. */
    private static final class Attack {
        private final String host;
        private final int port;
        private final InetAddress address;
        private final String domain;
        private final int sessions;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong guesses = new AtomicLong();
        private final Map<String, AtomicLong> replies = new ConcurrentHashMap<>();
        private final ExecutorService threads;

        Attack(String host, int port, InetAddress address, String domain, int sessions) {
            this.host = host;
            this.port = port;
            this.address = address;
            this.domain = domain;
            this.sessions = sessions;
            this.threads = Executors.newFixedThreadPool(sessions);
        }

        void start() throws InterruptedException {
            for (int session = 0; session < sessions; session++) {
                int number = session;
                threads.submit(() -> attack(number));
            }
            // Under way before the innocent client is timed: every session has asked, probes run at the partner.
            while (replies.values().stream().mapToLong(AtomicLong::get).sum() < 2L * sessions) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }

        private void attack(int session) {
            while (running.get()) {
                SMTPClient client = new SMTPClient();
                client.setDefaultTimeout(TIMEOUT_MS);
                try {
                    client.connect(InetAddress.getByName(host), port, address, 0);
                    client.helo("harvester.example");
                    client.setSender("harvester@attacker.example");
                    while (running.get()) {
                        client.addRecipient("guess-" + session + "-" + guesses.incrementAndGet() + "@" + domain);
                        String code = client.getReplyString().trim();
                        replies.computeIfAbsent(code.length() >= 9 ? code.substring(0, 9) : code, any -> new AtomicLong()).incrementAndGet();
                        TimeUnit.MILLISECONDS.sleep(ATTACKER_PAUSE.toMillis());
                    }
                    client.quit();
                } catch (IOException e) {
                    replies.computeIfAbsent("session lost", any -> new AtomicLong()).incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } finally {
                    try {
                        client.disconnect();
                    } catch (IOException e) {
                        // gone already
                    }
                }
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            threads.shutdown();
            threads.awaitTermination(2, TimeUnit.MINUTES);
        }

        void print() {
            System.out.println("attack_sessions=" + sessions);
            System.out.println("attack_rcpts=" + replies.values().stream().mapToLong(AtomicLong::get).sum());
            replies.forEach((reply, count) -> System.out.println("attack_reply_" + reply.replace(' ', '_') + "=" + count.get()));
        }
    }

    private static double millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000.0;
    }

    private static void expect(SMTPClient client, boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what + ": " + client.getReplyString().trim());
        }
    }
}
