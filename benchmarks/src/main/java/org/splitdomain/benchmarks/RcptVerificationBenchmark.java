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

import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.commons.configuration2.MapConfiguration;
import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.dnsservice.api.InMemoryDNSService;
import org.apache.james.metrics.dropwizard.DropWizardGaugeRegistry;
import org.apache.james.metrics.dropwizard.DropWizardMetricFactory;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.splitdomain.mailets.relay.SmtpReply;
import org.splitdomain.mailets.verify.RecipientVerificationConfiguration;
import org.splitdomain.mailets.verify.RecipientVerifier;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.smtp.SplitRoutingRcptHandler;

import com.codahale.metrics.MetricRegistry;
import com.github.benmanes.caffeine.cache.Ticker;
import com.google.common.collect.ImmutableList;

/**
 * Cost of the RCPT check for a recipient only the forward-unknown rule relays, with recipient verification off
 * and with it on answered from the cache (every recipient verified once before the measurement), side by side
 * on the same users, mappings and settings.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RcptVerificationBenchmark {
    private static final int RECIPIENTS = 4096;
    private static final Domain VERIFYING = Domain.of("verifying.example.com");
    private static final Domain NOT_VERIFYING = Domain.of("trusting.example.com");
    private static final MaybeSender SENDER = MaybeSender.getMailSender("sender@external.org");

    @Param({"100000"})
    public int users;

    private SplitRoutingRcptHandler handler;
    private SMTPSession session;
    private List<MailAddress> verified;
    private List<MailAddress> unverified;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        SplitRoutingData data = new SplitRoutingData(users, 4);
        List<RelayHost> partner = ImmutableList.of(RelayHost.parse("partner.example.net"));
        for (Domain domain : List.of(VERIFYING, NOT_VERIFYING)) {
            data.domainList.addDomain(domain);
        }
        data.store.storeDomainRouting(VERIFYING, DomainRouting.of(partner, true, true));
        data.store.storeDomainRouting(NOT_VERIFYING, DomainRouting.of(partner, true, false));
        MetricRegistry registry = new MetricRegistry();
        RecipientVerifier verifier = new RecipientVerifier((relay, recipient, timeout) -> SmtpReply.of(250, "250 2.1.5 Ok"),
            // One client verifies every recipient before the measurement: its budgets must not stop it.
            RecipientVerificationConfiguration.from(new MapConfiguration(Map.of("client.probes.per.minute", String.valueOf(RECIPIENTS),
                "client.probes.in.flight", String.valueOf(RECIPIENTS)))),
            // James's own metric factory, as the verifier runs in a James server.
            new DropWizardMetricFactory(registry), new DropWizardGaugeRegistry(registry), Clock.systemUTC(), Ticker.systemTicker());
        handler = new SplitRoutingRcptHandler(data.routeResolver, data.store, verifier, new InMemoryDNSService());
        // The handler reads the client's address only (its budgets; a probe from a relay).
        InetSocketAddress client = new InetSocketAddress("127.0.0.1", 40000);
        session = (SMTPSession) Proxy.newProxyInstance(SMTPSession.class.getClassLoader(), new Class<?>[] {SMTPSession.class},
            (proxy, method, args) -> method.getName().equals("getRemoteAddress") ? client : null);
        ImmutableList.Builder<MailAddress> verifiedBuilder = ImmutableList.builder();
        ImmutableList.Builder<MailAddress> unverifiedBuilder = ImmutableList.builder();
        for (int i = 0; i < RECIPIENTS; i++) {
            verifiedBuilder.add(new MailAddress("unknown" + i + "@" + VERIFYING.asString()));
            unverifiedBuilder.add(new MailAddress("unknown" + i + "@" + NOT_VERIFYING.asString()));
        }
        verified = verifiedBuilder.build();
        unverified = unverifiedBuilder.build();
        for (MailAddress recipient : verified) {
            HookResult result = handler.doRcpt(session, SENDER, recipient);
            if (!result.equals(HookResult.DECLINED)) {
                throw new IllegalStateException("RCPT " + recipient.asString() + " answered " + result.getSmtpRetCode());
            }
        }
    }

    private int nextIndex() {
        next = (next + 1) & (RECIPIENTS - 1);
        return next;
    }

    @Benchmark
    public HookResult rcptForwardUnknownWithoutVerification() {
        return handler.doRcpt(session, SENDER, unverified.get(nextIndex()));
    }

    @Benchmark
    public HookResult rcptForwardUnknownVerifiedFromCache() {
        return handler.doRcpt(session, SENDER, verified.get(nextIndex()));
    }
}
