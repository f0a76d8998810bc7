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
package org.splitdomain.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.google.common.collect.ImmutableList;

class DomainRoutingTest {
    @Test
    void ofShouldRejectAnEmptyRelayList() {
        assertThatThrownBy(() -> DomainRouting.of(ImmutableList.of(), true))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("'relays' must contain at least one relay");
    }

    @Test
    void ofShouldRejectDuplicateRelays() {
        assertThatThrownBy(() -> DomainRouting.of(ImmutableList.of(RelayHost.parse("mx"), RelayHost.parse("MX:25")), true))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("'relays' lists 'mx:25' twice");
    }

    @Test
    void ofShouldRejectTheSameRelayTwiceEvenWithAnotherPolicy() {
        assertThatThrownBy(() -> DomainRouting.of(ImmutableList.of(RelayHost.parse("mx"),
                RelayHost.parse("mx").withPolicy(RelayTls.VERIFY, java.util.Optional.empty())), true))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("'relays' lists 'mx:25' twice");
    }

    @Test
    void ofShouldKeepRelaysInOrder() {
        DomainRouting routing = DomainRouting.of(ImmutableList.of(RelayHost.parse("b"), RelayHost.parse("a")), false);

        assertThat(routing.getRelays()).containsExactly(RelayHost.parse("b"), RelayHost.parse("a"));
        assertThat(routing.isForwardUnknown()).isFalse();
    }

    @Test
    void ofShouldRejectNullRelays() {
        assertThatThrownBy(() -> DomainRouting.of(null, true))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("'relays' must contain at least one relay");
    }

    @Test
    void getRelaysShouldNotBeChangedByTheListItWasMadeFrom() {
        List<RelayHost> relays = new ArrayList<>(ImmutableList.of(RelayHost.parse("a")));
        DomainRouting routing = DomainRouting.of(relays, true);

        relays.add(RelayHost.parse("b"));

        assertThat(routing.getRelays()).containsExactly(RelayHost.parse("a"));
    }

    @Test
    void settingsShouldDifferByForwardUnknown() {
        assertThat(DomainRouting.of(ImmutableList.of(RelayHost.parse("a")), true))
            .isNotEqualTo(DomainRouting.of(ImmutableList.of(RelayHost.parse("a")), false));
    }

    @Test
    void settingsShouldDifferByRelayOrder() {
        assertThat(DomainRouting.of(ImmutableList.of(RelayHost.parse("a"), RelayHost.parse("b")), true))
            .isNotEqualTo(DomainRouting.of(ImmutableList.of(RelayHost.parse("b"), RelayHost.parse("a")), true));
    }

    @Test
    void settingsShouldBeEqualForTheSameRelaysAndFlag() {
        assertThat(DomainRouting.of(ImmutableList.of(RelayHost.parse("MX")), true))
            .isEqualTo(DomainRouting.of(ImmutableList.of(RelayHost.parse("mx:25")), true))
            .hasSameHashCodeAs(DomainRouting.of(ImmutableList.of(RelayHost.parse("mx:25")), true));
    }
}
