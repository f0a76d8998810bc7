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
package org.splitdomain.mailets.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.commons.configuration2.MapConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.metrics.api.Gauge;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.splitdomain.mailets.relay.RelayDeliveryConfiguration;
import org.splitdomain.mailets.relay.RelaySessions;
import org.splitdomain.mailets.relay.RelayTester;
import org.splitdomain.mailets.relay.VerifyingSocketFactory;
import org.splitdomain.mailets.verify.Verdict.Kind;
import org.splitdomain.settings.RelayCredentials;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.testing.SettableClock;
import org.splitdomain.testing.SmtpSink;

import com.github.benmanes.caffeine.cache.Ticker;
import com.google.common.collect.ImmutableList;

/**
 * The verifier against real SMTP servers on 127.0.0.2: what it answers, what it caches, when it stops probing, how long
 * a caller waits, and what one client may cost.
 */
class RecipientVerifierTest {
    private static final InetAddress CLIENT = address("127.0.0.1");

    private static InetAddress address(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private final AtomicLong nanos = new AtomicLong();
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-07T10:00:00Z"));
    private final Ticker ticker = nanos::get;
    private RecordingMetricFactory metrics;
    private RelayProbe relayProbe;
    private SmtpSink partner;

    @BeforeEach
    void setUp() throws Exception {
        metrics = new RecordingMetricFactory();
        RelaySessions sessions = new RelaySessions(RelayDeliveryConfiguration.from(FakeMailetConfig.builder().mailetName("relay").build()),
            "slave.example.com", VerifyingSocketFactory.trusting(Optional.empty(), Optional.empty()));
        relayProbe = new RelayTester(sessions, new RelayCredentials(Optional.empty()), Clock.systemUTC())::probe;
        partner = SmtpSink.builder().bindAddress("127.0.0.2").knowing("bob@example.com").start();
    }

    @AfterEach
    void tearDown() {
        partner.close();
    }

    /** A verifier with the defaults but a 1 s budget and a 5 s probe timeout, and the given settings. */
    private RecipientVerifier verifier(String... keysThenValues) {
        return verifier(relayProbe, recording(new ConcurrentHashMap<>()), keysThenValues);
    }

    private RecipientVerifier verifier(RelayProbe probe, GaugeRegistry gauges, String... keysThenValues) {
        Map<String, Object> settings = new HashMap<>(Map.of("rcpt.budget", "1s", "probe.timeout", "5s", "cache.negative.lifetime", "10m"));
        for (int i = 0; i < keysThenValues.length; i += 2) {
            settings.put(keysThenValues[i], keysThenValues[i + 1]);
        }
        try {
            return new RecipientVerifier(probe, RecipientVerificationConfiguration.from(new MapConfiguration(settings)), metrics, gauges,
                clock, ticker);
        } catch (ConfigurationException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private List<RelayHost> relays(SmtpSink... sinks) {
        return Arrays.stream(sinks).map(sink -> RelayHost.parse(sink.relay())).collect(ImmutableList.toImmutableList());
    }

    @Test
    void aRecipientThePartnerKnowsShouldBeAcceptedWithoutAnyMailSent() throws Exception {
        Verdict verdict = verifier().verify(new MailAddress("bob@example.com"), relays(partner), CLIENT);

        assertThat(verdict.getKind()).isEqualTo(Kind.ACCEPTED);
        assertThat(verdict.getRelay()).contains(RelayHost.parse(partner.relay()));
        assertThat(partner.recipientsAsked()).containsExactly("bob@example.com");
        assertThat(partner.received()).isEmpty();
    }

    @Test
    void aRecipientThePartnerRefusesShouldBeRefusedWithItsReply() throws Exception {
        Verdict verdict = verifier().verify(new MailAddress("nobody@example.com"), relays(partner), CLIENT);

        assertThat(verdict.getKind()).isEqualTo(Kind.REFUSED);
        assertThat(verdict.getDetail()).isEqualTo("550 5.1.1 User unknown in virtual mailbox table");
    }

    @Test
    void aSecondAskShouldBeServedFromTheCache() throws Exception {
        RecipientVerifier verifier = verifier();
        verifier.verify(new MailAddress("bob@example.com"), relays(partner), CLIENT);
        verifier.verify(new MailAddress("nobody@example.com"), relays(partner), CLIENT);

        Verdict accepted = verifier.verify(new MailAddress("BOB@example.com"), relays(partner), CLIENT);
        Verdict refused = verifier.verify(new MailAddress("nobody@example.com"), relays(partner), CLIENT);

        assertThat(accepted.isCached()).isTrue();
        assertThat(refused.isCached()).isTrue();
        assertThat(refused.getKind()).isEqualTo(Kind.REFUSED);
        assertThat(partner.recipientsAsked()).containsExactly("bob@example.com", "nobody@example.com");
        assertThat(metrics.countFor(RecipientVerifier.CACHE_HITS)).isEqualTo(2);
        assertThat(metrics.countFor(RecipientVerifier.PROBES + "." + partner.relay())).isEqualTo(2);
    }

    @Test
    void aRefusalShouldBeAskedAgainOnceItsLifetimeIsOverWhileAnAcceptanceIsStillKept() throws Exception {
        RecipientVerifier verifier = verifier();
        verifier.verify(new MailAddress("bob@example.com"), relays(partner), CLIENT);
        verifier.verify(new MailAddress("nobody@example.com"), relays(partner), CLIENT);
        // The cache gives an answer its lifetime just after the probe's caller has it.
        await().atMost(5, TimeUnit.SECONDS).until(() -> verifier.lifetimeLeft(new MailAddress("nobody@example.com"), relays(partner))
            .isPresent() && verifier.lifetimeLeft(new MailAddress("bob@example.com"), relays(partner)).isPresent());
        assertThat(verifier.lifetimeLeft(new MailAddress("nobody@example.com"), relays(partner))).contains(Duration.ofMinutes(10));

        nanos.addAndGet(Duration.ofMinutes(11).toNanos());

        assertThat(verifier.verify(new MailAddress("nobody@example.com"), relays(partner), CLIENT).isCached()).isFalse();
        assertThat(verifier.verify(new MailAddress("bob@example.com"), relays(partner), CLIENT).isCached()).isTrue();
        assertThat(partner.recipientsAsked()).containsExactly("bob@example.com", "nobody@example.com", "nobody@example.com");
    }

    @Test
    void aPartnerThatIsDownShouldGiveNoFinalAnswerAndNothingShouldBeCached() throws Exception {
        RelayHost down = RelayHost.parse("127.0.0.2:" + SmtpSink.freePort("127.0.0.2"));
        RecipientVerifier verifier = verifier();

        Verdict verdict = verifier.verify(new MailAddress("bob@example.com"), List.of(down), CLIENT);

        assertThat(verdict.getKind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(verdict.getDetail()).startsWith("relay " + down.asString() + ": ");
        assertThat(verifier.verify(new MailAddress("bob@example.com"), List.of(down), CLIENT).isCached()).isFalse();
    }

    @Test
    void aTemporaryRefusalShouldGiveNoFinalAnswer() throws Exception {
        try (SmtpSink busy = SmtpSink.builder().bindAddress("127.0.0.2").refusingEveryRecipient(451, "4.3.0 try later").start()) {
            Verdict verdict = verifier().verify(new MailAddress("bob@example.com"), relays(busy), CLIENT);

            assertThat(verdict.getKind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(verdict.getDetail()).isEqualTo("relay " + busy.relay() + " answered 451 4.3.0 try later");
        }
    }

    @Test
    void theNextRelayShouldBeAskedWhenTheFirstIsDown() throws Exception {
        RelayHost down = RelayHost.parse("127.0.0.2:" + SmtpSink.freePort("127.0.0.2"));

        Verdict verdict = verifier().verify(new MailAddress("bob@example.com"), List.of(down, RelayHost.parse(partner.relay())), CLIENT);

        assertThat(verdict.getKind()).isEqualTo(Kind.ACCEPTED);
        assertThat(verdict.getRelay()).contains(RelayHost.parse(partner.relay()));
    }

    @Test
    void aPartnerSlowerThanTheBudgetShouldGivePendingAndItsAnswerShouldServeTheRetry() throws Exception {
        try (SmtpSink slow = SmtpSink.builder().bindAddress("127.0.0.2").knowing("bob@example.com")
                .answeringRcptAfter(Duration.ofSeconds(2)).start()) {
            RecipientVerifier verifier = verifier();

            long start = System.nanoTime();
            Verdict first = verifier.verify(new MailAddress("bob@example.com"), relays(slow), CLIENT);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the caller's wait").isLessThan(Duration.ofMillis(1900));
            assertThat(first.getKind()).isEqualTo(Kind.PENDING);
            assertThat(first.getDetail()).isEqualTo("no answer within 1s (rcpt.budget): the probe goes on and its answer serves the retry");
            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(verifier.verify(new MailAddress("bob@example.com"), relays(slow), CLIENT).getKind()).isEqualTo(Kind.ACCEPTED));
            assertThat(slow.recipientsAsked()).containsExactly("bob@example.com");
        }
    }

    @Test
    void aPartnerThatAnswersSlowerThanTheBudgetShouldOpenItsCircuitLikeOneThatIsDown() throws Exception {
        try (SmtpSink tarpit = SmtpSink.builder().bindAddress("127.0.0.2").knowing("bob@example.com")
                .answeringRcptAfter(Duration.ofMillis(700)).start()) {
            RecipientVerifier verifier = verifier("rcpt.budget", "300ms", "circuit.failures", "2");
            for (String recipient : List.of("first@example.com", "second@example.com")) {
                await().atMost(10, TimeUnit.SECONDS).untilAsserted(() ->
                    assertThat(verifier.verify(new MailAddress(recipient), relays(tarpit), CLIENT).getKind()).isEqualTo(Kind.REFUSED));
            }

            Verdict verdict = verifier.verify(new MailAddress("third@example.com"), relays(tarpit), CLIENT);

            assertThat(verdict.getKind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(verdict.getDetail()).startsWith("relay " + tarpit.relay() + " not probed: 2 probes in a row got no answer within rcpt.budget");
            assertThat(tarpit.recipientsAsked()).containsExactly("first@example.com", "second@example.com");
        }
    }

    @Test
    void repeatedFailuresShouldOpenTheCircuitAndStopProbing() throws Exception {
        try (SmtpSink busy = SmtpSink.builder().bindAddress("127.0.0.2").refusingEveryRecipient(421, "4.3.2 overloaded").start()) {
            Map<String, Gauge<?>> gauges = new ConcurrentHashMap<>();
            RecipientVerifier verifier = verifier(relayProbe, recording(gauges), "circuit.failures", "3");
            verifier.verify(new MailAddress("first@example.com"), relays(busy), CLIENT);
            Gauge<?> circuitOpen = gauges.get(RecipientVerifier.CIRCUIT_OPEN + "." + busy.relay());
            assertThat(circuitOpen.get()).isEqualTo(0);
            for (int i = 1; i < 3; i++) {
                verifier.verify(new MailAddress("user" + i + "@example.com"), relays(busy), CLIENT);
            }

            Verdict verdict = verifier.verify(new MailAddress("other@example.com"), relays(busy), CLIENT);

            assertThat(verdict.getKind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(verdict.getDetail()).startsWith("relay " + busy.relay() + " not probed: 3 probes in a row got no answer within rcpt.budget, circuit open until ");
            assertThat(busy.recipientsAsked()).hasSize(3);
            assertThat(verifier.openCircuits()).containsOnlyKeys(busy.relay());
            assertThat(circuitOpen.get()).isEqualTo(1);
        }
    }

    @Test
    void simultaneousAsksOfOneRecipientShouldShareOneProbe() throws Exception {
        try (SmtpSink slow = SmtpSink.builder().bindAddress("127.0.0.2").knowing("bob@example.com")
                .answeringRcptAfter(Duration.ofMillis(500)).start()) {
            RecipientVerifier verifier = verifier();

            List<CompletableFuture<Verdict>> asks = IntStream.range(0, 8)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> verify(verifier, "bob@example.com", slow, address("127.0.1." + i))))
                .collect(Collectors.toList());

            assertThat(asks).allSatisfy(ask -> assertThat(ask.join().getKind()).isEqualTo(Kind.ACCEPTED));
            assertThat(slow.recipientsAsked()).containsExactly("bob@example.com");
        }
    }

    @Test
    void probesInFlightToOneRelayShouldBeBoundedWithoutWaitingForAFreeOne() throws Exception {
        try (SmtpSink slow = SmtpSink.builder().bindAddress("127.0.0.2").knowing("bob@example.com")
                .answeringRcptAfter(Duration.ofMillis(1500)).start()) {
            RecipientVerifier verifier = verifier("probes.per.relay", "2", "circuit.failures", "100");

            List<CompletableFuture<Verdict>> asks = IntStream.range(0, 6)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> verify(verifier, "user" + i + "@example.com", slow, address("127.0.1." + i))))
                .collect(Collectors.toList());

            List<Verdict> verdicts = asks.stream().map(CompletableFuture::join).collect(Collectors.toList());
            assertThat(verdicts).filteredOn(verdict -> verdict.getKind() == Kind.PENDING).hasSize(2);
            assertThat(verdicts).filteredOn(verdict -> verdict.getKind() == Kind.UNAVAILABLE)
                .hasSize(4)
                .allSatisfy(verdict -> assertThat(verdict.getDetail()).isEqualTo("relay " + slow.relay()
                    + " already has 2 probes in flight (probes.per.relay)"));
            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(slow.refusedRecipients()).hasSize(2));
        }
    }

    @Test
    void aClientShouldGetNoMoreProbesAMinuteThanItsBudgetAndThenItsRefill() throws Exception {
        RecipientVerifier verifier = verifier("client.probes.per.minute", "3");

        List<Kind> kinds = IntStream.range(0, 10)
            .mapToObj(i -> verify(verifier, "guess" + i + "@example.com", partner, CLIENT).getKind())
            .collect(Collectors.toList());

        assertThat(kinds).containsExactly(Kind.REFUSED, Kind.REFUSED, Kind.REFUSED, Kind.THROTTLED, Kind.THROTTLED, Kind.THROTTLED,
            Kind.THROTTLED, Kind.THROTTLED, Kind.THROTTLED, Kind.THROTTLED);
        assertThat(partner.recipientsAsked()).hasSize(3);
        assertThat(verify(verifier, "guess9@example.com", partner, address("127.0.0.3")).getKind())
            .as("another client").isEqualTo(Kind.REFUSED);

        clock.advance(Duration.ofSeconds(61));

        assertThat(verify(verifier, "guess8@example.com", partner, CLIENT).getKind()).isEqualTo(Kind.REFUSED);
    }

    @Test
    void answersAlreadyCachedShouldCostTheClientNothing() throws Exception {
        RecipientVerifier verifier = verifier("client.probes.per.minute", "1");
        verify(verifier, "bob@example.com", partner, CLIENT);

        assertThat(IntStream.range(0, 5).mapToObj(i -> verify(verifier, "bob@example.com", partner, CLIENT).getKind()))
            .containsOnly(Kind.ACCEPTED);
        assertThat(partner.recipientsAsked()).containsExactly("bob@example.com");
    }

    @Test
    void aClientShouldNotWaitOnMoreProbesAtOnceThanItsBudget() throws Exception {
        try (SmtpSink slow = SmtpSink.builder().bindAddress("127.0.0.2").knowing("bob@example.com")
                .answeringRcptAfter(Duration.ofMillis(1500)).start()) {
            RecipientVerifier verifier = verifier("rcpt.budget", "200ms", "client.probes.in.flight", "1", "circuit.failures", "100");
            assertThat(verify(verifier, "bob@example.com", slow, CLIENT).getKind()).isEqualTo(Kind.PENDING);

            long start = System.nanoTime();
            Verdict other = verify(verifier, "carol@example.com", slow, CLIENT);
            Verdict same = verify(verifier, "bob@example.com", slow, CLIENT);

            assertThat(other.getKind()).isEqualTo(Kind.THROTTLED);
            assertThat(same.getKind()).isEqualTo(Kind.PENDING);
            assertThat(same.getDetail()).isEqualTo("a probe is under way, and client 127.0.0.1 already waits for 1 (client.probes.in.flight)");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("neither waited").isLessThan(Duration.ofMillis(200));
            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(verify(verifier, "carol@example.com", slow, CLIENT).getKind()).isNotEqualTo(Kind.THROTTLED));
            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(slow.recipientsAsked()).containsExactly("bob@example.com", "carol@example.com"));
        }
    }

    @Test
    void aClientShouldBeItsIpv4AddressOrItsIpv6Network() {
        assertThat(ClientBudgets.key(address("192.0.2.7"))).isEqualTo("192.0.2.7");
        assertThat(ClientBudgets.key(address("2001:db8:1:2:aaaa::1"))).isEqualTo(ClientBudgets.key(address("2001:db8:1:2:bbbb::2")))
            .isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(ClientBudgets.key(address("2001:db8:1:3::1"))).isNotEqualTo(ClientBudgets.key(address("2001:db8:1:2::1")));
    }

    private static GaugeRegistry recording(Map<String, Gauge<?>> gauges) {
        return new GaugeRegistry() {
            @Override
            public <T> GaugeRegistry register(String name, Gauge<T> gauge) {
                gauges.put(name, gauge);
                return this;
            }

            @Override
            public <T> SettableGauge<T> settableGauge(String name) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private Verdict verify(RecipientVerifier verifier, String recipient, SmtpSink sink, InetAddress client) {
        try {
            return verifier.verify(new MailAddress(recipient), relays(sink), client);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
