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

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.james.core.MailAddress;
import org.apache.james.mailetcontainer.impl.LocalResourcesImpl;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.splitdomain.matchers.IsThirdPartyRecipient;
import org.splitdomain.matchers.IsUnknownLocalRecipient;
import org.splitdomain.route.RouteDecision;
import org.splitdomain.route.RouteExplanation;
import org.splitdomain.route.RouteResolver;
import org.splitdomain.settings.CachedSplitRoutingStore;

import com.google.common.collect.ImmutableList;

/**
 * Cost of one recipient through each piece of the route decision, beside the baseline: what James's own
 * {@code RecipientIsLocal} matcher runs for a recipient ({@code LocalResourcesImpl.localEmails}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RouteDecisionBenchmark {
    private static final int RECIPIENTS = 4096;

    @Param({"1000", "100000", "1000000"})
    public int users;

    private SplitRoutingData data;
    private LocalResourcesImpl localResources;
    private IsThirdPartyRecipient isThirdPartyRecipient;
    private IsUnknownLocalRecipient isUnknownLocalRecipient;
    private List<FakeMail> mails;
    private int next;
    private DatabaseStandIn database;
    private CachedSplitRoutingStore cachedStore;
    private RouteResolver cachedRouteResolver;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        data = new SplitRoutingData(users, RECIPIENTS);
        localResources = new LocalResourcesImpl(data.usersRepository, data.domainList, data.recipientRewriteTable);
        isThirdPartyRecipient = new IsThirdPartyRecipient(data.routeResolver);
        isThirdPartyRecipient.init(FakeMatcherConfig.builder().matcherName("IsThirdPartyRecipient").build());
        isUnknownLocalRecipient = new IsUnknownLocalRecipient(data.routeResolver);
        isUnknownLocalRecipient.init(FakeMatcherConfig.builder().matcherName("IsUnknownLocalRecipient").build());
        ImmutableList.Builder<FakeMail> builder = ImmutableList.builder();
        for (MailAddress recipient : data.recipients) {
            builder.add(FakeMail.builder().name("m").recipient(recipient).build());
        }
        mails = builder.build();
        // The JPA and Cassandra flavours route from a node's copy of the database store.
        database = new DatabaseStandIn(data.store);
        cachedStore = new CachedSplitRoutingStore(database);
        cachedRouteResolver = new RouteResolver(data.domainList, data.usersRepository, data.recipientRewriteTable, cachedStore);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cachedStore.close();
        if (database.keyReads.sum() != 0) {
            throw new IllegalStateException("Routing read the database store " + database.keyReads.sum() + " times");
        }
    }

    private int nextIndex() {
        next = (next + 1) & (RECIPIENTS - 1);
        return next;
    }

    @Benchmark
    public Collection<MailAddress> baselineRecipientIsLocal() {
        return localResources.localEmails(ImmutableList.of(data.recipients.get(nextIndex())));
    }

    @Benchmark
    public Optional<RouteDecision> relayRoute() {
        return data.routeResolver.relayRoute(data.recipients.get(nextIndex()));
    }

    @Benchmark
    public Optional<RouteDecision> relayRouteFromDatabaseStoreCopy() {
        return cachedRouteResolver.relayRoute(data.recipients.get(nextIndex()));
    }

    @Benchmark
    public RouteExplanation explainAsTheSmtpCheckDoes() {
        return data.routeResolver.explain(data.recipients.get(nextIndex()));
    }

    @Benchmark
    public Collection<MailAddress> isThirdPartyRecipient() throws Exception {
        return isThirdPartyRecipient.match(mails.get(nextIndex()));
    }

    @Benchmark
    public Collection<MailAddress> isUnknownLocalRecipient() throws Exception {
        return isUnknownLocalRecipient.match(mails.get(nextIndex()));
    }
}
