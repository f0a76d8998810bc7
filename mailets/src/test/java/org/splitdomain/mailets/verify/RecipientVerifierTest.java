package org.splitdomain.mailets.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.james.core.MailAddress;
import org.apache.james.metrics.api.Gauge;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.NoopGaugeRegistry;
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
import org.splitdomain.testing.SmtpSink;

import com.github.benmanes.caffeine.cache.Ticker;
import com.google.common.collect.ImmutableList;

/** The verifier against real SMTP servers on 127.0.0.2: what it answers, what it caches, when it stops probing. */
class RecipientVerifierTest {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final AtomicLong nanos = new AtomicLong();
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

    private RecipientVerifier verifier(int circuitFailures, int probesPerRelay) {
        RecipientVerificationConfiguration configuration = new RecipientVerificationConfiguration(PROBE_TIMEOUT, Duration.ofDays(7),
            Duration.ofMinutes(10), 1000, circuitFailures, Duration.ofSeconds(30), probesPerRelay);
        return new RecipientVerifier(relayProbe, configuration, metrics, new NoopGaugeRegistry(), Clock.systemUTC(), ticker);
    }

    private RecipientVerifier verifier() {
        return verifier(5, 10);
    }

    private List<RelayHost> relays(SmtpSink... sinks) {
        return Arrays.stream(sinks).map(sink -> RelayHost.parse(sink.relay())).collect(ImmutableList.toImmutableList());
    }

    @Test
    void aRecipientThePartnerKnowsShouldBeAcceptedWithoutAnyMailSent() throws Exception {
        Verdict verdict = verifier().verify(new MailAddress("bob@example.com"), relays(partner));

        assertThat(verdict.getKind()).isEqualTo(Kind.ACCEPTED);
        assertThat(verdict.getRelay()).contains(RelayHost.parse(partner.relay()));
        assertThat(partner.recipientsAsked()).containsExactly("bob@example.com");
        assertThat(partner.received()).isEmpty();
    }

    @Test
    void aRecipientThePartnerRefusesShouldBeRefusedWithItsReply() throws Exception {
        Verdict verdict = verifier().verify(new MailAddress("nobody@example.com"), relays(partner));

        assertThat(verdict.getKind()).isEqualTo(Kind.REFUSED);
        assertThat(verdict.getDetail()).isEqualTo("550 5.1.1 User unknown in virtual mailbox table");
    }

    @Test
    void aSecondAskShouldBeServedFromTheCache() throws Exception {
        RecipientVerifier verifier = verifier();
        verifier.verify(new MailAddress("bob@example.com"), relays(partner));
        verifier.verify(new MailAddress("nobody@example.com"), relays(partner));

        Verdict accepted = verifier.verify(new MailAddress("BOB@example.com"), relays(partner));
        Verdict refused = verifier.verify(new MailAddress("nobody@example.com"), relays(partner));

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
        verifier.verify(new MailAddress("bob@example.com"), relays(partner));
        verifier.verify(new MailAddress("nobody@example.com"), relays(partner));
        // The cache gives an answer its lifetime just after the probe's caller has it.
        await().atMost(5, TimeUnit.SECONDS).until(() -> verifier.lifetimeLeft(new MailAddress("nobody@example.com"), relays(partner))
            .isPresent() && verifier.lifetimeLeft(new MailAddress("bob@example.com"), relays(partner)).isPresent());
        assertThat(verifier.lifetimeLeft(new MailAddress("nobody@example.com"), relays(partner))).contains(Duration.ofMinutes(10));

        nanos.addAndGet(Duration.ofMinutes(11).toNanos());

        assertThat(verifier.verify(new MailAddress("nobody@example.com"), relays(partner)).isCached()).isFalse();
        assertThat(verifier.verify(new MailAddress("bob@example.com"), relays(partner)).isCached()).isTrue();
        assertThat(partner.recipientsAsked()).containsExactly("bob@example.com", "nobody@example.com", "nobody@example.com");
    }

    @Test
    void aPartnerThatIsDownShouldGiveNoFinalAnswerAndNothingShouldBeCached() throws Exception {
        RelayHost down = RelayHost.parse("127.0.0.2:" + SmtpSink.freePort("127.0.0.2"));
        RecipientVerifier verifier = verifier();

        Verdict verdict = verifier.verify(new MailAddress("bob@example.com"), List.of(down));

        assertThat(verdict.getKind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(verdict.getDetail()).startsWith("relay " + down.asString() + ": ");
        assertThat(verifier.verify(new MailAddress("bob@example.com"), List.of(down)).isCached()).isFalse();
    }

    @Test
    void aTemporaryRefusalShouldGiveNoFinalAnswer() throws Exception {
        try (SmtpSink busy = SmtpSink.builder().bindAddress("127.0.0.2").refusingEveryRecipient(451, "4.3.0 try later").start()) {
            Verdict verdict = verifier().verify(new MailAddress("bob@example.com"), relays(busy));

            assertThat(verdict.getKind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(verdict.getDetail()).isEqualTo("relay " + busy.relay() + " answered 451 4.3.0 try later");
        }
    }

    @Test
    void theNextRelayShouldBeAskedWhenTheFirstIsDown() throws Exception {
        RelayHost down = RelayHost.parse("127.0.0.2:" + SmtpSink.freePort("127.0.0.2"));

        Verdict verdict = verifier().verify(new MailAddress("bob@example.com"), List.of(down, RelayHost.parse(partner.relay())));

        assertThat(verdict.getKind()).isEqualTo(Kind.ACCEPTED);
        assertThat(verdict.getRelay()).contains(RelayHost.parse(partner.relay()));
    }

    @Test
    void aSlowPartnerShouldGiveNoFinalAnswerInTimeButItsLateAnswerShouldServeTheRetry() throws Exception {
        try (SmtpSink slow = SmtpSink.builder().bindAddress("127.0.0.2").knowing("bob@example.com")
                .answeringRcptAfter(PROBE_TIMEOUT.plusSeconds(1)).start()) {
            // Each wait of the probe is bounded by the probe timeout too: give the late reply the time it needs.
            RelayProbe patient = (relay, recipient, timeout) -> relayProbe.probe(relay, recipient, timeout.multipliedBy(3));
            RecipientVerifier lenient = new RecipientVerifier(patient, verifier().getConfiguration(), metrics, new NoopGaugeRegistry(),
                Clock.systemUTC(), ticker);

            Verdict first = lenient.verify(new MailAddress("bob@example.com"), relays(slow));

            assertThat(first.getKind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(first.getDetail()).isEqualTo("no answer within 2 s (probe.timeout)");
            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(lenient.verify(new MailAddress("bob@example.com"), relays(slow)).getKind()).isEqualTo(Kind.ACCEPTED));
            assertThat(slow.recipientsAsked()).containsExactly("bob@example.com");
        }
    }

    @Test
    void repeatedFailuresShouldOpenTheCircuitAndStopProbing() throws Exception {
        try (SmtpSink busy = SmtpSink.builder().bindAddress("127.0.0.2").refusingEveryRecipient(421, "4.3.2 overloaded").start()) {
            Map<String, Gauge<?>> gauges = new ConcurrentHashMap<>();
            RecipientVerifier verifier = new RecipientVerifier(relayProbe, new RecipientVerificationConfiguration(PROBE_TIMEOUT,
                Duration.ofDays(7), Duration.ofMinutes(10), 1000, 3, Duration.ofSeconds(30), 10), metrics, recording(gauges),
                Clock.systemUTC(), ticker);
            verifier.verify(new MailAddress("first@example.com"), relays(busy));
            Gauge<?> circuitOpen = gauges.get(RecipientVerifier.CIRCUIT_OPEN + "." + busy.relay());
            assertThat(circuitOpen.get()).isEqualTo(0);
            for (int i = 1; i < 3; i++) {
                verifier.verify(new MailAddress("user" + i + "@example.com"), relays(busy));
            }

            Verdict verdict = verifier.verify(new MailAddress("other@example.com"), relays(busy));

            assertThat(verdict.getKind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(verdict.getDetail()).startsWith("relay " + busy.relay() + " not probed: 3 probes in a row got no answer, circuit open until ");
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
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> verify(verifier, "bob@example.com", slow)))
                .collect(Collectors.toList());

            assertThat(asks).allSatisfy(ask -> assertThat(ask.join().getKind()).isEqualTo(Kind.ACCEPTED));
            assertThat(slow.recipientsAsked()).containsExactly("bob@example.com");
        }
    }

    @Test
    void probesInFlightToOneRelayShouldBeBounded() throws Exception {
        try (SmtpSink slow = SmtpSink.builder().bindAddress("127.0.0.2").knowing("bob@example.com")
                .answeringRcptAfter(Duration.ofMillis(1500)).start()) {
            RecipientVerifier verifier = verifier(100, 2);

            List<CompletableFuture<Verdict>> asks = IntStream.range(0, 6)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> verify(verifier, "user" + i + "@example.com", slow)))
                .collect(Collectors.toList());

            List<Verdict> verdicts = asks.stream().map(CompletableFuture::join).collect(Collectors.toList());
            assertThat(verdicts).filteredOn(verdict -> verdict.getKind() == Kind.REFUSED).hasSize(2);
            assertThat(verdicts).filteredOn(verdict -> verdict.getKind() == Kind.UNAVAILABLE).hasSize(4);
        }
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

    private Verdict verify(RecipientVerifier verifier, String recipient, SmtpSink sink) {
        try {
            return verifier.verify(new MailAddress(recipient), relays(sink));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
