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

import javax.inject.Inject;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.reactivestreams.Publisher;
import org.splitdomain.mailets.relay.RelayClient;
import org.splitdomain.mailets.relay.LoopSecret;
import org.splitdomain.mailets.relay.RelayDeliveryConfiguration;

import reactor.core.publisher.Mono;

/**
 * Degraded while a {@code SplitRoutingRemoteDelivery} mailet signs its loop marks with a secret of this process
 * only: a mail that comes back after a restart, or through another node, is then not known for a loop and goes
 * round until James's {@code RelayLimit} stops it.
 */
public class LoopSecretHealthCheck implements HealthCheck {
    public static final ComponentName COMPONENT = new ComponentName("Split-domain loop secret");

    private final RelayClient client;

    @Inject
    public LoopSecretHealthCheck(RelayClient client) {
        this.client = client;
    }

    @Override
    public ComponentName componentName() {
        return COMPONENT;
    }

    @Override
    public Publisher<Result> check() {
        return Mono.fromCallable(() -> {
            if (!client.isSetUp() || LoopSecret.isConfigured(client.getConfiguration())) {
                return Result.healthy(COMPONENT);
            }
            return Result.degraded(COMPONENT, "mailet " + client.getMailetName() + " has no '"
                + RelayDeliveryConfiguration.LOOP_SECRET + "': loop marks are signed with a secret of this process only, so a mail "
                + "that comes back after a restart or through another node is not recognised as a loop; give every node the same '"
                + RelayDeliveryConfiguration.LOOP_SECRET_FILE + "' (mailetcontainer.xml)");
        });
    }
}
