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
package org.splitdomain.webadmin.consistency;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.task.Task;
import org.apache.james.task.TaskExecutionDetails;
import org.apache.james.task.TaskType;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.mailets.verify.RecipientVerifier;
import org.splitdomain.mailets.verify.Verdict;
import org.splitdomain.route.RouteDecision;
import org.splitdomain.route.RouteResolutionException;
import org.splitdomain.route.RouteResolver;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.UserRouting;
import org.splitdomain.settings.service.SettingsBackendException;
import org.splitdomain.settings.service.SettingsService;
import org.splitdomain.webadmin.consistency.ConsistencyReport.Refusal;
import org.splitdomain.webadmin.consistency.ConsistencyReport.Unverified;

import com.google.common.collect.ImmutableList;
import com.google.common.util.concurrent.RateLimiter;

/**
 * Asks the partner about every forwarded address of every third-party user (aliases relayed unchanged
 * included), as the relay would deliver them, and reports each address the partner refuses with the fix:
 * mail for such an address would reach the partner and bounce. At most {@code probesPerSecond} probes per
 * relay, so that a check of many users does not look like an address-harvesting attack to the partner.
 */
public class PartnerConsistencyTask implements Task {
    public static final TaskType TYPE = TaskType.of("split-routing-consistency-check");
    public static final double DEFAULT_PROBES_PER_SECOND = 10;
    private static final Logger LOGGER = LoggerFactory.getLogger(PartnerConsistencyTask.class);

    /** What the task needs from James and from the extension. */
    public static final class Dependencies {
        final SettingsService settings;
        final UsersRepository usersRepository;
        final RouteResolver routeResolver;
        final RecipientVerifier verifier;
        final Clock clock;

        @Inject
        public Dependencies(SettingsService settings, UsersRepository usersRepository, RouteResolver routeResolver,
                            RecipientVerifier verifier) {
            this(settings, usersRepository, routeResolver, verifier, Clock.systemUTC());
        }

        public Dependencies(SettingsService settings, UsersRepository usersRepository, RouteResolver routeResolver,
                            RecipientVerifier verifier, Clock clock) {
            this.settings = settings;
            this.usersRepository = usersRepository;
            this.routeResolver = routeResolver;
            this.verifier = verifier;
            this.clock = clock;
        }
    }

    private final Dependencies dependencies;
    private final double probesPerSecond;
    private final ConsistencyReport report = new ConsistencyReport();
    private final Map<String, RateLimiter> rates = new ConcurrentHashMap<>();

    public PartnerConsistencyTask(Dependencies dependencies, double probesPerSecond) {
        if (!(probesPerSecond > 0)) {
            throw new IllegalArgumentException("'probesPerSecond' must be more than 0");
        }
        this.dependencies = dependencies;
        this.probesPerSecond = probesPerSecond;
    }

    public double getProbesPerSecond() {
        return probesPerSecond;
    }

    @Override
    public Result run() {
        List<Map.Entry<Username, UserRouting>> thirdPartyUsers = dependencies.settings.usersByName().stream()
            .filter(entry -> entry.getValue().isThirdParty())
            .collect(ImmutableList.toImmutableList());
        for (Map.Entry<Username, UserRouting> user : thirdPartyUsers) {
            try {
                check(user.getKey(), user.getValue());
            } catch (UsersRepositoryException | SettingsBackendException | RouteResolutionException e) {
                LOGGER.warn("Consistency check: user {} could not be checked", user.getKey().asString(), e);
                report.unverified(new Unverified(user.getKey().asString(), user.getKey().asString(),
                    "the settings of this server could not be read: " + e.getMessage()));
            }
        }
        ConsistencyReport.Details details = report.details(dependencies.clock.instant());
        LOGGER.info("Consistency check done: {} third-party users, {} addresses, {} refused by the partner, {} unverified",
            details.getUsersChecked(), details.getAddressesChecked(), details.getRefused().size(), details.getUnverified().size());
        return report.isComplete() ? Result.COMPLETED : Result.PARTIAL;
    }

    private void check(Username user, UserRouting routing) throws UsersRepositoryException {
        // Settings outlive a deleted user; only an existing user's mail is relayed.
        if (!dependencies.settings.isExistingUser(user)) {
            return;
        }
        Set<MailAddress> unchanged = dependencies.settings.aliasesRelayedUnchanged(user, routing);
        List<MailAddress> accepted = new ArrayList<>();
        List<Map.Entry<MailAddress, Verdict>> refused = new ArrayList<>();
        for (MailAddress address : sorted(dependencies.settings.forwardedAddresses(user, routing))) {
            Optional<RouteDecision> route = dependencies.routeResolver.thirdPartyRoute(address).filter(RouteDecision::isRelay);
            if (route.isEmpty()) {
                // Flagged but without relay: delivered here, nothing to ask the partner.
                continue;
            }
            Verdict verdict = probe(address, route.get().getRelays());
            report.addressChecked();
            switch (verdict.getKind()) {
                case ACCEPTED:
                    accepted.add(address);
                    break;
                case REFUSED:
                    refused.add(Map.entry(address, verdict));
                    break;
                default:
                    report.unverified(new Unverified(address.asString(), user.asString(), verdict.getDetail()));
            }
        }
        MailAddress own = dependencies.usersRepository.getMailAddressFor(user);
        for (Map.Entry<MailAddress, Verdict> refusal : refused) {
            report.refused(refusal(user, own, refusal.getKey(), refusal.getValue(), unchanged.contains(refusal.getKey()), accepted));
        }
        report.userChecked();
    }

    private static Refusal refusal(Username user, MailAddress own, MailAddress address, Verdict verdict, boolean relayedUnchanged,
                                   List<MailAddress> accepted) {
        String relay = verdict.getRelay().map(RelayHost::asString).orElse("the relay");
        String kind = relayedUnchanged ? Refusal.ALIAS_RELAYED_UNCHANGED : Refusal.FORWARDED_ADDRESS;
        if (accepted.isEmpty()) {
            return new Refusal(address.asString(), user.asString(), kind, relay, verdict.getDetail(),
                relay + " knows no address of " + user.asString() + ": create " + address.asString() + " there, or unflag "
                    + user.asString() + " (\"thirdParty\": false) to keep its mail on this server", Optional.empty());
        }
        String then;
        if (address.equals(own)) {
            then = "mail for " + address.asString() + " then stays on this server";
        } else if (accepted.contains(own)) {
            then = address.asString() + " is then rewritten to " + own.asString() + " before it is relayed";
        } else {
            then = address.asString() + " then follows its mappings on this server";
        }
        List<String> subset = accepted.stream().map(MailAddress::asString).collect(ImmutableList.toImmutableList());
        return new Refusal(address.asString(), user.asString(), kind, relay, verdict.getDetail(),
            "create " + address.asString() + " at " + relay + ", or forward only the addresses it knows (\"forwardedAddresses\": "
                + subset.stream().map(value -> "\"" + value + "\"").collect(ImmutableList.toImmutableList()) + "): " + then,
            Optional.of(subset));
    }

    private Verdict probe(MailAddress address, List<RelayHost> relays) {
        rates.computeIfAbsent(relays.get(0).asString(), ignored -> RateLimiter.create(probesPerSecond)).acquire();
        return dependencies.verifier.probe(address, relays);
    }

    private static List<MailAddress> sorted(Set<MailAddress> addresses) {
        return addresses.stream().sorted(Comparator.comparing(MailAddress::asString)).collect(ImmutableList.toImmutableList());
    }

    @Override
    public TaskType type() {
        return TYPE;
    }

    @Override
    public Optional<TaskExecutionDetails.AdditionalInformation> details() {
        return Optional.of(report.details(dependencies.clock.instant()));
    }
}
