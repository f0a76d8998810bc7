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

import java.util.List;

import javax.inject.Inject;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.reactivestreams.Publisher;
import org.splitdomain.settings.SplitRoutingStore;
import org.splitdomain.settings.service.SettingsWarnings;

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
            List<String> unverified = SettingsWarnings.withoutRecipientVerification(store.listDomainRoutings());
            if (unverified.isEmpty()) {
                return Result.healthy(COMPONENT);
            }
            return Result.degraded(COMPONENT, String.join("; ", unverified));
        });
    }
}
