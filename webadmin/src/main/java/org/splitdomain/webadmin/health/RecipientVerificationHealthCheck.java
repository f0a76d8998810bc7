package org.splitdomain.webadmin.health;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.reactivestreams.Publisher;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.SplitRoutingStore;

import com.google.common.collect.ImmutableList;

import reactor.core.publisher.Mono;

/**
 * Degraded while a split domain relays recipients it has not verified at RCPT ({@code "verifyRecipients": false}):
 * an address its relays do not host is then accepted here and bounced later, to a sender that may be forged. Between
 * two servers that forward unknown addresses to each other, the side that verifies refuses such an address at RCPT
 * (the other side answers its probe {@code 550}); the side that does not verify cannot: this check is where it says so.
 */
public class RecipientVerificationHealthCheck implements HealthCheck {
    public static final ComponentName COMPONENT = new ComponentName("Split-domain recipient verification");

    private final SplitRoutingStore store;

    @Inject
    public RecipientVerificationHealthCheck(SplitRoutingStore store) {
        this.store = store;
    }

    @Override
    public ComponentName componentName() {
        return COMPONENT;
    }

    @Override
    public Publisher<Result> check() {
        return Mono.fromCallable(() -> {
            List<String> unverified = store.listDomainRoutings().entrySet().stream()
                .filter(routing -> !routing.getValue().isVerifyRecipients())
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(Domain::asString)))
                .map(routing -> describe(routing.getKey(), routing.getValue()))
                .collect(ImmutableList.toImmutableList());
            if (unverified.isEmpty()) {
                return Result.healthy(COMPONENT);
            }
            return Result.degraded(COMPONENT, String.join("; ", unverified));
        });
    }

    private static String describe(Domain domain, DomainRouting routing) {
        String relayed = routing.isForwardUnknown()
            ? "forwards unknown addresses without verifying them at RCPT: an address nobody hosts is accepted, then bounced"
            : "relays its third-party users' addresses without verifying them at RCPT: one the relay does not host is accepted, then bounced";
        return domain.asString() + " " + relayed + " to its sender, who may be forged; set \"verifyRecipients\": true";
    }
}
