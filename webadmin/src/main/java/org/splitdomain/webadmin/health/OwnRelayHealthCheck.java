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
import reactor.core.scheduler.Schedulers;

/**
 * Unhealthy while some split domain has this server among its relays: every mail relayed there comes
 * straight back and ends as a loop, so the routing of that domain does not work.
 */
public class OwnRelayHealthCheck implements HealthCheck {
    public static final ComponentName COMPONENT = new ComponentName("Split-domain relays are not this server");

    private final SplitRoutingStore store;
    private final SettingsWarnings warnings;

    @Inject
    public OwnRelayHealthCheck(SplitRoutingStore store, SettingsWarnings warnings) {
        this.store = store;
        this.warnings = warnings;
    }

    @Override
    public ComponentName componentName() {
        return COMPONENT;
    }

    @Override
    public Publisher<Result> check() {
        // Relay host names are resolved: off the caller's thread.
        return Mono.fromCallable(() -> {
            List<String> ownRelays = warnings.ownRelays(store.listDomainRoutings());
            return ownRelays.isEmpty() ? Result.healthy(COMPONENT) : Result.unhealthy(COMPONENT, String.join("; ", ownRelays));
        }).subscribeOn(Schedulers.boundedElastic());
    }
}
