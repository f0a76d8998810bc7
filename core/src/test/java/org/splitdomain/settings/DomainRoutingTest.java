package org.splitdomain.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void ofShouldKeepRelaysInOrder() {
        DomainRouting routing = DomainRouting.of(ImmutableList.of(RelayHost.parse("b"), RelayHost.parse("a")), false);

        assertThat(routing.getRelays()).containsExactly(RelayHost.parse("b"), RelayHost.parse("a"));
        assertThat(routing.isForwardUnknown()).isFalse();
    }
}
