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
package org.splitdomain.webadmin.health;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.reactivestreams.Publisher;
import org.splitdomain.mailets.relay.RelayClient;
import org.splitdomain.mailets.relay.RelayTester;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.SplitRoutingStore;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.common.collect.ImmutableSet;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Degraded while a relay of some split domain cannot take mail: a session under its policy (connect, EHLO,
 * STARTTLS, AUTH, as a delivery opens it) fails, or the last delivery to it on this node left every
 * recipient deferred. Mail for it waits and is retried meanwhile, so James itself stays up: degraded, not
 * unhealthy. Each relay is tested at most once a {@link #TEST_INTERVAL}, however often James's health is
 * asked, each wait bounded by {@link #TEST_TIMEOUT}.
 *
 * <p>James's {@code /healthcheck} answers anyone: the cause names the relay and the step that failed, never what
 * the partner answered. The relay test and the queue listing, behind WebAdmin's token, give that.</p>
 */
public class RelaysHealthCheck implements HealthCheck {
    public static final ComponentName COMPONENT = new ComponentName("Split-domain relays");
    static final Duration TEST_INTERVAL = Duration.ofMinutes(1);
    static final Duration TEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int TESTS_AT_ONCE = 4;

    private final SplitRoutingStore store;
    private final RelayClient client;
    private final Cache<RelayHost, RelayTester.Report> tests;

    @Inject
    public RelaysHealthCheck(SplitRoutingStore store, RelayClient client) {
        this(store, client, TEST_INTERVAL);
    }

    RelaysHealthCheck(SplitRoutingStore store, RelayClient client, Duration testInterval) {
        this.store = store;
        this.client = client;
        this.tests = Caffeine.newBuilder().expireAfterWrite(testInterval).build();
    }

    @Override
    public ComponentName componentName() {
        return COMPONENT;
    }

    @Override
    public Publisher<Result> check() {
        Set<RelayHost> relays = store.listDomainRoutings().values().stream()
            .flatMap(routing -> routing.getRelays().stream())
            .collect(ImmutableSet.toImmutableSet());
        if (relays.isEmpty()) {
            return Mono.just(Result.healthy(COMPONENT));
        }
        if (!client.isSetUp()) {
            return Mono.just(Result.degraded(COMPONENT, "no SplitRoutingRemoteDelivery mailet runs in this James: mail for "
                + relays.stream().map(RelayHost::asString).sorted().toList() + " is not delivered"));
        }
        return Flux.fromIterable(relays)
            // A few at a time: each test may block a thread Reactor shares with James (RabbitMQ queue, blob store) for TEST_TIMEOUT.
            .flatMap(relay -> Mono.fromCallable(() -> problem(relay)).subscribeOn(Schedulers.boundedElastic()), TESTS_AT_ONCE)
            .flatMap(Mono::justOrEmpty)
            .sort()
            .collectList()
            .map(problems -> problems.isEmpty()
                ? Result.healthy(COMPONENT)
                : Result.degraded(COMPONENT, problems.size() + " of " + relays.size() + " relays cannot take mail: "
                    + String.join("; ", problems)));
    }

    private Optional<String> problem(RelayHost relay) {
        RelayTester.Report report = tests.get(relay, any -> client.test(relay, TEST_TIMEOUT));
        if (!report.isOk()) {
            String step = report.getSteps().stream()
                .filter(tested -> tested.getResult().equals("failed"))
                .map(RelayTester.Step::getStep)
                .findFirst()
                .orElse("end");
            return Optional.of("relay " + relay.asString() + " (tls " + relay.getTls().asString() + "): a test session failed at " + step
                + " (WebAdmin's relay test gives its answers)");
        }
        return client.lastDelivery(relay)
            .filter(delivery -> !delivery.isAnswered())
            .map(delivery -> "relay " + relay.asString() + ": its last delivery, at " + delivery.getAt().truncatedTo(ChronoUnit.SECONDS)
                + ", was deferred (GET /split-routing/queue for its answer)");
    }
}
