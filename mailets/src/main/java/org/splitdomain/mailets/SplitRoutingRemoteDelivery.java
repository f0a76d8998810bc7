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
package org.splitdomain.mailets;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.IsStartedProbe;
import org.apache.james.core.MailAddress;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.metrics.api.Metric;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.mailet.Mail;
import org.apache.mailet.ProcessingState;
import org.apache.mailet.base.Converter7Bit;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.mailets.relay.DequeueWorker;
import org.splitdomain.mailets.relay.FailedRelays;
import org.splitdomain.mailets.relay.ImmediateDelivery;
import org.splitdomain.mailets.relay.LoopMarker;
import org.splitdomain.mailets.relay.LoopSecret;
import org.splitdomain.mailets.relay.RelayAttempt;
import org.splitdomain.mailets.relay.RelayBouncer;
import org.splitdomain.mailets.relay.RelayClient;
import org.splitdomain.mailets.relay.RelayDeliveryConfiguration;
import org.splitdomain.mailets.relay.RelayDeliveryEngine;
import org.splitdomain.mailets.relay.RelayMetrics;
import org.splitdomain.mailets.relay.RelayQueue;
import org.splitdomain.mailets.relay.RelaySender;
import org.splitdomain.mailets.relay.RelayWaker;
import org.splitdomain.mailets.relay.RetryPolicy;
import org.splitdomain.route.RecipientRules;
import org.splitdomain.route.RouteDecision;
import org.splitdomain.route.RouteResolutionException;
import org.splitdomain.route.RouteResolver;
import org.splitdomain.route.RouteRule;
import org.splitdomain.settings.RelayHost;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

/**
 * Delivers each recipient to the relays of its split domain over SMTP, addresses unchanged.
 *
 * <p>A relayed mail is delivered at once by the spool thread that runs this mailet, over a connection its relay has
 * ready ({@link ImmediateDelivery}, as Exim delivers at once and queues what fails); what is not delivered then is queued,
 * with its recipients, not its relays, in the {@link RelayQueue}: James's mail queue
 * {@code outgoing} ({@code split-domain-relay} by default) while it is due, the waiting room (a James mail repository)
 * between two attempts. The {@link RelayDeliveryEngine} decides each recipient's route again at every attempt, so mail
 * that waits follows a change of relays, flags, forwarded addresses or domain settings. It speaks SMTP through the
 * {@link RelayClient} (Jakarta Mail, a connection cache per relay, each relay's TLS and AUTH policy), with fail-over in
 * the order of the domain's relays. A relay that is down means a retry after {@code delayTime}; a 5xx, or the last
 * retry failing, means a DSN through {@code bounceProcessor} for the recipients concerned only.</p>
 *
 * <p>At intake, a recipient that came back from its relay with our own loop mark is returned to the
 * sender with a {@code 5.4.6} DSN instead of being relayed again (see {@link LoopMarker}).</p>
 *
 * <pre>{@code
 * <processor state="split-domain-relay" enableJmx="true">
 *     <mailet match="All" class="org.splitdomain.mailets.SplitRoutingRemoteDelivery">
 *         <bounceProcessor>bounces</bounceProcessor>
 *         <delayTime>1 minute, 5 minutes, 30 minutes, 2 hours, 6 hours</delayTime>
 *         <maxRetries>5</maxRetries>
 *     </mailet>
 * </processor>
 * }</pre>
 */
public class SplitRoutingRemoteDelivery extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(SplitRoutingRemoteDelivery.class);
    /** James metrics of the intake: recipients queued for a relay, sent back to James's processing, returned as loops. */
    public static final String RELAYED = "splitDomainRelayedRecipients";
    public static final String UNROUTABLE = "splitDomainUnroutableRecipients";
    public static final String LOOPS = "splitDomainLoopRecipients";
    /** Recipients queued for a relay, one metric per routing rule that decided it ({@code splitDomainDecisions.third-party}...). */
    public static final String DECISIONS = "splitDomainDecisions";

    private final RouteResolver routeResolver;
    private final MetricFactory metricFactory;
    private final RelayClient relayClient;
    private final RelayQueue relayQueue;
    private final BooleanSupplier jamesStarted;
    private final FileSystem fileSystem;
    private final Clock clock;
    private final Metric relayedRecipients;
    private final Metric reroutedRecipients;
    private final Metric loopRecipients;
    private final Map<RouteRule, Metric> decisions;

    private RelayDeliveryConfiguration configuration;
    private LoopMarker loopMarker;
    private RelayBouncer bouncer;
    private RelayDeliveryEngine engine;
    private ImmediateDelivery immediateDelivery;

    @Inject
    public SplitRoutingRemoteDelivery(RouteResolver routeResolver, MetricFactory metricFactory, RelayClient relayClient, RelayQueue relayQueue,
                                     IsStartedProbe jamesStarted, FileSystem fileSystem) {
        this(routeResolver, metricFactory, relayClient, relayQueue, jamesStarted::isStarted, fileSystem, Clock.systemUTC());
    }

    /** {@code jamesStarted}: delivery starts once it says so; {@code fileSystem} resolves {@code loopSecretFile}. */
    public SplitRoutingRemoteDelivery(RouteResolver routeResolver, MetricFactory metricFactory, RelayClient relayClient, RelayQueue relayQueue,
                                     BooleanSupplier jamesStarted, FileSystem fileSystem, Clock clock) {
        this.routeResolver = routeResolver;
        this.metricFactory = metricFactory;
        this.relayClient = relayClient;
        this.relayQueue = relayQueue;
        this.jamesStarted = jamesStarted;
        this.fileSystem = fileSystem;
        this.clock = clock;
        this.relayedRecipients = metricFactory.generate(RELAYED);
        this.reroutedRecipients = metricFactory.generate(UNROUTABLE);
        this.loopRecipients = metricFactory.generate(LOOPS);
        // Only the rules that relay a recipient: a series that can never move is not exported.
        this.decisions = RecipientRules.RELAY_RULES.stream()
            .collect(ImmutableMap.toImmutableMap(rule -> rule, rule -> metricFactory.generate(DECISIONS + "." + rule.asString())));
    }

    @Override
    public void init() throws MessagingException {
        configuration = RelayDeliveryConfiguration.from(getMailetConfig());
        try {
            checkInitParameters(RelayDeliveryConfiguration.ALLOWED_PARAMETERS);
        } catch (MessagingException e) {
            throw new MessagingException(getMailetName() + ": " + e.getMessage()
                + "; known parameters: " + new TreeSet<>(RelayDeliveryConfiguration.ALLOWED_PARAMETERS));
        }
        loopMarker = LoopSecret.read(configuration, fileSystem, getMailetName())
            .map(secret -> LoopMarker.withSecret(secret, configuration.getLoopMarkLifetime(), clock))
            .orElseGet(() -> {
                LOGGER.warn("{}: no '{}' nor '{}' configured: loop marks are signed with a secret of this process only, "
                    + "so they survive neither a restart nor another node", getMailetName(), RelayDeliveryConfiguration.LOOP_SECRET,
                    RelayDeliveryConfiguration.LOOP_SECRET_FILE);
                return LoopMarker.withRandomSecret(configuration.getLoopMarkLifetime(), clock);
            });
        bouncer = new RelayBouncer(getMailetContext(), configuration.getBounceProcessor());
        relayClient.setUp(getMailetName(), configuration);
        try {
            relayQueue.setUp(getMailetName(), configuration, bouncer);
        } catch (MessagingException | RuntimeException e) {
            relayClient.close();
            throw e;
        }
        RelaySender sender = new RelaySender(relayClient.connections(), new FailedRelays(configuration.getFailedRelayTime(), clock), loopMarker,
            new RelayMetrics(metricFactory), new Converter7Bit(getMailetContext()), relayClient.lastDeliveries());
        RelayAttempt attempt = new RelayAttempt(configuration, routeResolver, sender::deliver, bouncer, getMailetContext(),
            new RetryPolicy(configuration), relayQueue, clock);
        immediateDelivery = new ImmediateDelivery(configuration.getImmediateDeliveryThreads(), sender, attempt, relayQueue, clock);
        engine = new RelayDeliveryEngine(getMailetName(), relayClient,
            new DequeueWorker(getMailetName(), configuration, relayQueue, attempt, clock),
            new RelayWaker(getMailetName(), relayQueue));
        engine.start(jamesStarted);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        List<MailAddress> relayed = new ArrayList<>();
        List<MailAddress> loops = new ArrayList<>();
        List<MailAddress> rerouted = new ArrayList<>();
        Map<List<RelayHost>, List<MailAddress>> byRelays = new LinkedHashMap<>();
        for (MailAddress recipient : mail.getRecipients()) {
            Optional<RouteDecision> decision;
            try {
                decision = routeResolver.relayRoute(recipient);
            } catch (RouteResolutionException e) {
                // A backend hiccup: the recipient waits in the relay queue, whose attempts decide the route again.
                LOGGER.warn("Mail {}: the route of {} cannot be decided now, it waits in {}", mail.getName(), recipient.asString(),
                    configuration.getOutgoing(), e);
                relayed.add(recipient);
                continue;
            }
            if (decision.isEmpty()) {
                rerouted.add(recipient);
            } else if (loopMarker.isMarked(mail.getMessage(), mail.getMaybeSender(), recipient)) {
                loops.add(recipient);
            } else {
                // Counted under the rule the route explanation gives the address the sender wrote (a group member: after mapping).
                RouteRule rule = RecipientRules.ruleOf(mail, recipient).orElse(decision.get().getRule());
                Optional.ofNullable(decisions.get(rule)).ifPresent(Metric::increment);
                relayed.add(recipient);
                byRelays.computeIfAbsent(decision.get().getRelays(), relays -> new ArrayList<>()).add(recipient);
            }
        }
        if (!loops.isEmpty()) {
            // Two systems that both forward unknown addresses would otherwise pass the mail back and
            // forth until RelayLimit drops it: nobody hosts these addresses.
            LOGGER.warn("Mail {} from {}: routing loop for {}: it came back from the relay it was sent to, returned to the sender",
                mail.getName(), mail.getMaybeSender().asString(), loops);
            loopRecipients.add(loops.size());
            bouncer.bounce(mail, loops, "5.4.6 Routing loop detected: neither this server nor its relay hosts " + loops);
        }
        if (!rerouted.isEmpty()) {
            LOGGER.warn("Mail {}: no relay applies any more to {}, sending them to processor {}",
                mail.getName(), rerouted, configuration.getRerouteProcessor());
            reroutedRecipients.add(rerouted.size());
        }
        if (relayed.isEmpty()) {
            leaveWith(mail, rerouted);
            return;
        }
        if (rerouted.isEmpty()) {
            // The common case: queue the mail itself rather than a copy of its message (measured: the
            // copy cost a fifth of relay throughput).
            mail.setRecipients(relayed);
            relay(mail, byRelays);
            mail.setState(Mail.GHOST);
            return;
        }
        Mail copy = mail.duplicate();
        try {
            copy.setRecipients(relayed);
            relay(copy, byRelays);
        } finally {
            LifecycleUtil.dispose(copy);
        }
        leaveWith(mail, rerouted);
    }

    // At once when James has started (before, neither the DSN of a refusal nor the spool can be relied upon), else queued.
    private void relay(Mail mail, Map<List<RelayHost>, List<MailAddress>> byRelays) throws MessagingException {
        // What the matchers recorded served the count above: neither the relay nor a later pass in transport needs it.
        RecipientRules.forget(mail);
        relayedRecipients.add(mail.getRecipients().size());
        LOGGER.info("Mail {} from {} relayed for {}", mail.getName(), mail.getMaybeSender().asString(), mail.getRecipients());
        if (engine.isDelivering()) {
            immediateDelivery.deliver(mail, byRelays);
        } else {
            relayQueue.enqueue(mail);
        }
    }

    private void leaveWith(Mail mail, Collection<MailAddress> recipients) {
        if (recipients.isEmpty()) {
            mail.setState(Mail.GHOST);
        } else {
            mail.setRecipients(recipients);
            RecipientRules.forget(mail);
            mail.setState(configuration.getRerouteProcessor());
        }
    }

    @Override
    public Collection<ProcessingState> requiredProcessingState() {
        return ImmutableList.of(new ProcessingState(configuration.getBounceProcessor()),
            new ProcessingState(configuration.getRerouteProcessor()));
    }

    @Override
    public void destroy() {
        if (engine != null) {
            engine.close();
        }
        relayQueue.close();
        relayClient.close();
    }

    @Override
    public String getMailetInfo() {
        return "Split-domain relay delivery";
    }
}
