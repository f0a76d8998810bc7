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

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import javax.inject.Inject;
import javax.inject.Singleton;
import javax.mail.MessagingException;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.Metric;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.utils.PropertiesProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.mailets.relay.RelayClient;
import org.splitdomain.mailets.relay.RelayConnection;
import org.splitdomain.mailets.relay.SmtpReply;
import org.splitdomain.settings.RelayHost;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import com.google.common.annotations.VisibleForTesting;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.util.concurrent.ThreadFactoryBuilder;

/**
 * Asks a domain's relays whether they take mail for a recipient before this server accepts it
 * (Postfix's {@code reject_unverified_recipient}, Exim's callout), with the session settings of the
 * relay engine: the relay's TLS policy and credential, the engine's HELO name and local address.
 *
 * <p>An SMTP worker never waits on a partner longer than {@code rcpt.budget}: past it the RCPT gets a
 * {@link Verdict.Kind#PENDING} verdict while the probe goes on, bounded by its own {@code probe.timeout}, and its
 * answer is cached for the sender's retry. Answers are cached per node: an accepted recipient for
 * {@code cache.positive.lifetime}, a refused one for {@code cache.negative.lifetime}; "no final answer" is never
 * cached. Probes of the same recipient at the same moment share one probe. Each relay has a circuit breaker, which
 * counts an answer slower than the budget (a tarpit) as a failure, and a bound on the probes in flight. Each client
 * has its budgets ({@link ClientBudgets}): past them it gets {@link Verdict.Kind#THROTTLED}, without probe nor wait.</p>
 *
 * <p>Metrics: {@code splitDomainVerifyProbes.<relay>} (probes sent), {@code splitDomainVerifyCacheHits},
 * {@code splitDomainVerifyAnswers.accepted|refused|unavailable|pending|throttled}, and the gauge
 * {@code splitDomainVerifyCircuitOpen.<relay>} (1 while the relay's circuit is open).</p>
 */
@Singleton
public class RecipientVerifier {
    public static final String PROBES = "splitDomainVerifyProbes";
    public static final String CACHE_HITS = "splitDomainVerifyCacheHits";
    public static final String ANSWERS = "splitDomainVerifyAnswers";
    public static final String CIRCUIT_OPEN = "splitDomainVerifyCircuitOpen";
    private static final Logger LOGGER = LoggerFactory.getLogger(RecipientVerifier.class);

    // One recipient as asked of one list of relays: a domain switched to other relays is asked afresh. The relays are
    // the domain's own immutable list, which copyOf hands back as it is: no copy per RCPT.
    private record Key(String recipient, List<RelayHost> relays) {
        static Key of(MailAddress recipient, List<RelayHost> relays) {
            return new Key(recipient.asString().toLowerCase(Locale.ROOT), ImmutableList.copyOf(relays));
        }
    }

    private final RelayProbe relayProbe;
    private final RecipientVerificationConfiguration configuration;
    private final MetricFactory metricFactory;
    private final GaugeRegistry gaugeRegistry;
    private final Clock clock;
    private final Executor probes;
    private final ClientBudgets clientBudgets;
    private final AsyncCache<Key, Verdict> answers;
    private final Map<String, RelayCircuit> circuits = new ConcurrentHashMap<>();
    private final Map<String, Semaphore> inFlight = new ConcurrentHashMap<>();
    private final Metric cacheHits;
    private final Map<Verdict.Kind, Metric> answerCounters = new EnumMap<>(Verdict.Kind.class);
    private final Map<String, Metric> probeCounters = new ConcurrentHashMap<>();

    @Inject
    public RecipientVerifier(RelayClient relayClient, PropertiesProvider propertiesProvider, MetricFactory metricFactory,
                             GaugeRegistry gaugeRegistry) throws ConfigurationException {
        this(RelayProbe.through(relayClient), RecipientVerificationConfiguration.from(propertiesProvider), metricFactory, gaugeRegistry,
            Clock.systemUTC(), Ticker.systemTicker());
    }

    public RecipientVerifier(RelayProbe relayProbe, RecipientVerificationConfiguration configuration, MetricFactory metricFactory,
                             GaugeRegistry gaugeRegistry, Clock clock, Ticker ticker) {
        this.relayProbe = relayProbe;
        this.configuration = configuration;
        this.metricFactory = metricFactory;
        this.gaugeRegistry = gaugeRegistry;
        this.clock = clock;
        // Not bounded here: a probe runs only with one of its relay's probes.per.relay permits, taken without waiting.
        this.probes = Executors.newCachedThreadPool(new ThreadFactoryBuilder()
            .setNameFormat("split-domain-probe-%d").setDaemon(true).build());
        this.clientBudgets = new ClientBudgets(configuration.getClientProbesPerMinute(), configuration.getClientProbesInFlight(), clock);
        this.answers = Caffeine.newBuilder()
            .maximumSize(configuration.getCacheSize())
            .expireAfter(new Lifetimes())
            .ticker(ticker)
            .executor(Runnable::run)
            .buildAsync();
        this.cacheHits = metricFactory.generate(CACHE_HITS);
        for (Verdict.Kind kind : Verdict.Kind.values()) {
            answerCounters.put(kind, metricFactory.generate(ANSWERS + "." + kind.asString()));
        }
    }

    public RecipientVerificationConfiguration getConfiguration() {
        return configuration;
    }

    /**
     * The verdict on this recipient for an RCPT of {@code client}: a cached one when there is one, else what the relays
     * answer within {@code rcpt.budget}, else {@link Verdict.Kind#PENDING} while the probe goes on; without probe nor
     * wait ({@link Verdict.Kind#THROTTLED}, or {@code PENDING} for a probe already running) once the client has used its budgets.
     */
    public Verdict verify(MailAddress recipient, List<RelayHost> relays, InetAddress client) {
        Key key = Key.of(recipient, relays);
        CompletableFuture<Verdict> known = answers.getIfPresent(key);
        if (known != null && known.isDone() && !known.isCompletedExceptionally()) {
            if (keptFor(known.join()) > 0) {
                cacheHits.increment();
                return counted(known.join().fromCache());
            }
            // What is not kept (no final answer) is never served from the cache: Caffeine drops it once its probe has
            // completed, which the RCPT that waited for that probe may see a moment before.
            answers.asMap().remove(key, known);
            known = null;
        }
        if (known != null) {
            return counted(awaitRunning(known, client));
        }
        // With every circuit open nothing is sent: the answer is immediate and costs the client nothing.
        if (allCircuitsOpen(relays)) {
            return counted(Verdict.unavailable(circuitOpen(relays.get(0))));
        }
        Optional<ClientBudgets.Slot> slot = clientBudgets.probe(client);
        if (slot.isEmpty()) {
            return counted(Verdict.throttled("client " + ClientBudgets.key(client) + " has used its budget ("
                + configuration.getClientProbesPerMinute() + " probes a minute, " + configuration.getClientProbesInFlight()
                + " at a time: client.probes.per.minute, client.probes.in.flight); not probed"));
        }
        AtomicBoolean started = new AtomicBoolean();
        CompletableFuture<Verdict> probe = answers.get(key, (ignored, executor) -> {
            started.set(true);
            return probeLater(recipient, relays, slot.get());
        });
        if (!started.get()) {
            // Another RCPT started the same probe a moment ago: wait for it as for any running probe.
            slot.get().refund();
            return counted(awaitRunning(probe, client));
        }
        return counted(awaitWithinBudget(probe));
    }

    private Verdict awaitRunning(CompletableFuture<Verdict> probe, InetAddress client) {
        Optional<ClientBudgets.Slot> waiting = clientBudgets.waiting(client);
        if (waiting.isEmpty()) {
            return Verdict.pending("a probe is under way, and client " + ClientBudgets.key(client) + " already waits for "
                + configuration.getClientProbesInFlight() + " (client.probes.in.flight)");
        }
        try (ClientBudgets.Slot slot = waiting.get()) {
            return awaitWithinBudget(probe);
        }
    }

    private Verdict awaitWithinBudget(CompletableFuture<Verdict> probe) {
        return await(probe, configuration.getRcptBudget(), "no answer within " + RecipientVerificationConfiguration.asString(
            configuration.getRcptBudget()) + " (rcpt.budget): the probe goes on and its answer serves the retry", Verdict::pending);
    }

    /** What the relays answer right now, cache skipped (the answer is cached for the next RCPT): for explain and the consistency check. */
    public Verdict probe(MailAddress recipient, List<RelayHost> relays) {
        CompletableFuture<Verdict> probe = allCircuitsOpen(relays)
            ? CompletableFuture.completedFuture(Verdict.unavailable(circuitOpen(relays.get(0))))
            : CompletableFuture.supplyAsync(() -> probeInOrder(recipient, relays), probes);
        answers.put(Key.of(recipient, relays), probe);
        return counted(await(probe, configuration.getProbeTimeout(), "no answer within "
            + RecipientVerificationConfiguration.asString(configuration.getProbeTimeout()) + " (probe.timeout)", Verdict::unavailable));
    }

    /** Forgets every cached answer: after the partner created or removed accounts the cache does not know of. */
    public long forget() {
        long size = answers.synchronous().estimatedSize();
        answers.synchronous().invalidateAll();
        LOGGER.info("Recipient verification cache cleared ({} answers)", size);
        return size;
    }

    /** How long the cached answer for this recipient is kept still, once its probe has ended. */
    @VisibleForTesting
    Optional<Duration> lifetimeLeft(MailAddress recipient, List<RelayHost> relays) {
        return answers.synchronous().policy().expireVariably()
            .flatMap(expiry -> expiry.getExpiresAfter(Key.of(recipient, relays)))
            // An answer still awaited is kept for ever, until its probe ends.
            .filter(left -> left.compareTo(Duration.ofDays(365)) < 0);
    }

    /** The relays whose circuit is open now, with when it closes. */
    public Map<String, Instant> openCircuits() {
        Instant now = clock.instant();
        return circuits.entrySet().stream()
            .filter(entry -> entry.getValue().isOpen(now))
            .collect(ImmutableMap.toImmutableMap(Map.Entry::getKey, entry -> entry.getValue().openUntil().orElseThrow()));
    }

    private Verdict await(CompletableFuture<Verdict> probe, Duration wait, String late, Function<String, Verdict> lateVerdict) {
        try {
            return probe.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return lateVerdict.apply(late);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Verdict.unavailable("interrupted while waiting for the relay's answer");
        } catch (ExecutionException e) {
            LOGGER.error("Recipient probe failed unexpectedly", e.getCause());
            return Verdict.unavailable("the probe failed: " + e.getCause().getMessage());
        }
    }

    // Final answers are kept for their lifetime; "no final answer" is not kept at all (0), so the next RCPT asks again.
    private long keptFor(Verdict verdict) {
        switch (verdict.getKind()) {
            case ACCEPTED:
                return configuration.getPositiveLifetime().toNanos();
            case REFUSED:
                return configuration.getNegativeLifetime().toNanos();
            default:
                return 0;
        }
    }

    private Verdict counted(Verdict verdict) {
        answerCounters.get(verdict.getKind()).increment();
        return verdict;
    }

    private boolean allCircuitsOpen(List<RelayHost> relays) {
        Instant now = clock.instant();
        return relays.stream().allMatch(relay -> circuit(relay).isOpen(now));
    }

    // The client's slot is given back when the probe ends, before its answer is handed out: the client's next RCPT
    // finds it free.
    private CompletableFuture<Verdict> probeLater(MailAddress recipient, List<RelayHost> relays, ClientBudgets.Slot slot) {
        return CompletableFuture.supplyAsync(() -> {
            try (slot) {
                return probeInOrder(recipient, relays);
            }
        }, probes);
    }

    // In the domain's relay order, as delivery: the first final answer (2xx or 5xx) is the verdict.
    private Verdict probeInOrder(MailAddress recipient, List<RelayHost> relays) {
        String failure = "no relay";
        for (RelayHost relay : relays) {
            RelayCircuit circuit = circuit(relay);
            if (circuit.isOpen(clock.instant())) {
                failure = circuitOpen(relay);
                continue;
            }
            long start = System.nanoTime();
            Attempt attempt = probeOne(relay, recipient);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (attempt.isFinal()) {
                SmtpReply reply = attempt.reply.get();
                LOGGER.info("Relay {} {} {} in {} ms: {}", relay.asString(), reply.isPositive() ? "accepts" : "refuses",
                    recipient.asString(), took.toMillis(), reply.getText());
                // A partner that answers, but slower than an RCPT may wait (a tarpit), holds RCPTs as one that is down.
                if (took.compareTo(configuration.getRcptBudget()) > 0) {
                    failed(circuit, relay, "answered in " + took.toMillis() + " ms, longer than rcpt.budget");
                } else {
                    circuit.answered();
                }
                return Verdict.answered(relay, reply);
            }
            failure = attempt.failure;
            if (attempt.countsAgainstRelay) {
                failed(circuit, relay, failure);
            }
        }
        LOGGER.info("No relay answered for {}: {}", recipient.asString(), failure);
        return Verdict.unavailable(failure);
    }

    private void failed(RelayCircuit circuit, RelayHost relay, String failure) {
        if (circuit.failed(clock.instant())) {
            LOGGER.warn("Relay {}: {} probes in a row without an answer within rcpt.budget, not probed for {} s: {}", relay.asString(),
                configuration.getCircuitFailures(), configuration.getCircuitOpenTime().toSeconds(), failure);
        }
    }

    /** One probe of one relay: its reply, or why there is none. */
    private static final class Attempt {
        static Attempt replied(RelayHost relay, SmtpReply reply) {
            return new Attempt(Optional.of(reply), "relay " + relay.asString() + " answered " + reply.getText(), true);
        }

        static Attempt failed(String failure) {
            return new Attempt(Optional.empty(), failure, true);
        }

        /** Not asked at all, through no fault of the relay's: its circuit does not count it. */
        static Attempt notAsked(String reason) {
            return new Attempt(Optional.empty(), reason, false);
        }

        private final Optional<SmtpReply> reply;
        private final String failure;
        private final boolean countsAgainstRelay;

        private Attempt(Optional<SmtpReply> reply, String failure, boolean countsAgainstRelay) {
            this.reply = reply;
            this.failure = failure;
            this.countsAgainstRelay = countsAgainstRelay;
        }

        boolean isFinal() {
            return reply.filter(SmtpReply::isFinal).isPresent();
        }
    }

    private Attempt probeOne(RelayHost relay, MailAddress recipient) {
        Semaphore permits = inFlight.computeIfAbsent(relay.asString(), ignored -> new Semaphore(configuration.getProbesPerRelay()));
        // Not waited for: a probe that waits is a thread held for nothing, and the RCPT's answer is the same 450.
        if (!permits.tryAcquire()) {
            return Attempt.notAsked("relay " + relay.asString() + " already has " + configuration.getProbesPerRelay()
                + " probes in flight (probes.per.relay)");
        }
        try {
            probeCounters.computeIfAbsent(relay.asString(), name -> metricFactory.generate(PROBES + "." + name)).increment();
            return Attempt.replied(relay, relayProbe.probe(relay, recipient, configuration.getProbeTimeout()));
        } catch (MessagingException e) {
            return Attempt.failed("relay " + relay.asString() + ": " + RelayConnection.describe(e));
        } finally {
            permits.release();
        }
    }

    private RelayCircuit circuit(RelayHost relay) {
        return circuits.computeIfAbsent(relay.asString(), name -> {
            RelayCircuit circuit = new RelayCircuit(configuration.getCircuitFailures(), configuration.getCircuitOpenTime());
            gaugeRegistry.register(CIRCUIT_OPEN + "." + name, () -> circuit.isOpen(clock.instant()) ? 1 : 0);
            return circuit;
        });
    }

    private String circuitOpen(RelayHost relay) {
        String until = circuit(relay).openUntil().map(Instant::toString).orElse("now");
        return "relay " + relay.asString() + " not probed: " + configuration.getCircuitFailures()
            + " probes in a row got no answer within rcpt.budget, circuit open until " + until;
    }

    private final class Lifetimes implements Expiry<Key, Verdict> {
        @Override
        public long expireAfterCreate(Key key, Verdict verdict, long currentTime) {
            return keptFor(verdict);
        }

        @Override
        public long expireAfterUpdate(Key key, Verdict verdict, long currentTime, long currentDuration) {
            return keptFor(verdict);
        }

        @Override
        public long expireAfterRead(Key key, Verdict verdict, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
