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

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.james.core.Domain;
import org.apache.james.core.healthcheck.Result;
import org.junit.jupiter.api.Test;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.MemorySplitRoutingStore;
import org.splitdomain.settings.RelayHost;

import com.google.common.collect.ImmutableList;

import reactor.core.publisher.Mono;

class RecipientVerificationHealthCheckTest {
    private static final ImmutableList<RelayHost> RELAYS = ImmutableList.of(RelayHost.parse("mx2.example.com:25"));

    private final MemorySplitRoutingStore store = new MemorySplitRoutingStore();
    private final RecipientVerificationHealthCheck check = new RecipientVerificationHealthCheck(store);

    private Result result() {
        return Mono.from(check.check()).block();
    }

    @Test
    void checkShouldBeHealthyWhenEverySplitDomainVerifies() {
        store.storeDomainRouting(Domain.of("slave.example"), DomainRouting.of(RELAYS, true, true));
        store.storeDomainRouting(Domain.of("master.example"), DomainRouting.of(RELAYS, false, true));

        assertThat(result().isHealthy()).isTrue();
    }

    @Test
    void checkShouldNameEachDomainThatAcceptsWhatItMayBounceLater() {
        store.storeDomainRouting(Domain.of("slave.example"), DomainRouting.of(RELAYS, true, false));
        store.storeDomainRouting(Domain.of("master.example"), DomainRouting.of(RELAYS, false));

        Result result = result();

        assertThat(result.isDegraded()).isTrue();
        assertThat(result.getCause()).contains("master.example relays its third-party users' addresses without verifying them at RCPT: "
            + "one the relay does not host is accepted, then bounced to its sender, who may be forged; set \"verifyRecipients\": true; "
            + "slave.example forwards unknown addresses without verifying them at RCPT: an address nobody hosts is accepted, then bounced "
            + "to its sender, who may be forged; set \"verifyRecipients\": true");
    }
}
