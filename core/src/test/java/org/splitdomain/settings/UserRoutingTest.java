package org.splitdomain.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.james.core.MailAddress;
import org.junit.jupiter.api.Test;

import com.google.common.collect.ImmutableList;

class UserRoutingTest {
    @Test
    void forwardsShouldBeTrueForAnyAddressWhenAllAddressesAreForwarded() throws Exception {
        assertThat(UserRouting.thirdPartyForAllAddresses().forwards(new MailAddress("whatever@example.com"))).isTrue();
    }

    @Test
    void forwardsShouldOnlyAcceptChosenAddresses() throws Exception {
        UserRouting routing = UserRouting.thirdParty(ImmutableList.of(new MailAddress("bob.partner@example.com")));

        assertThat(routing.forwards(new MailAddress("bob.partner@example.com"))).isTrue();
        assertThat(routing.forwards(new MailAddress("bob@example.com"))).isFalse();
    }

    @Test
    void forwardsShouldIgnoreCase() throws Exception {
        UserRouting routing = UserRouting.thirdParty(ImmutableList.of(new MailAddress("bob.partner@example.com")));

        assertThat(routing.forwards(new MailAddress("Bob.Partner@EXAMPLE.com"))).isTrue();
    }

    @Test
    void forwardsShouldBeFalseForAnInternalUser() throws Exception {
        assertThat(UserRouting.internal().forwards(new MailAddress("bob@example.com"))).isFalse();
    }

    @Test
    void thirdPartyShouldRejectAnEmptyAddressList() {
        assertThatThrownBy(() -> UserRouting.thirdParty(ImmutableList.of()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'forwardedAddresses' must not be empty");
    }
}
