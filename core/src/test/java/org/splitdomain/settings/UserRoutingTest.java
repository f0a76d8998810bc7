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

    @Test
    void forwardsShouldBeFalseForAnAddressOutsideTheChosenList() throws Exception {
        UserRouting routing = UserRouting.thirdParty(ImmutableList.of(new MailAddress("bob@example.com")));

        assertThat(routing.forwards(new MailAddress("bob@other.com"))).isFalse();
        assertThat(routing.forwards(new MailAddress("bobby@example.com"))).isFalse();
    }

    @Test
    void thirdPartyForAllAddressesShouldHaveNoChosenList() {
        UserRouting routing = UserRouting.thirdPartyForAllAddresses();

        assertThat(routing.isThirdParty()).isTrue();
        assertThat(routing.forwardsAllAddresses()).isTrue();
        assertThat(routing.getForwardedAddresses()).isEmpty();
    }

    @Test
    void thirdPartyShouldKeepTheChosenAddressesOnce() throws Exception {
        UserRouting routing = UserRouting.thirdParty(ImmutableList.of(
            new MailAddress("bob@example.com"), new MailAddress("robert@example.com"), new MailAddress("bob@example.com")));

        assertThat(routing.isThirdParty()).isTrue();
        assertThat(routing.forwardsAllAddresses()).isFalse();
        assertThat(routing.getForwardedAddresses().orElseThrow())
            .containsExactly(new MailAddress("bob@example.com"), new MailAddress("robert@example.com"));
    }

    @Test
    void internalShouldNotBeThirdParty() {
        assertThat(UserRouting.internal().isThirdParty()).isFalse();
    }

    @Test
    void settingsShouldBeEqualForTheSameChoice() throws Exception {
        assertThat(UserRouting.thirdParty(ImmutableList.of(new MailAddress("bob@example.com"))))
            .isEqualTo(UserRouting.thirdParty(ImmutableList.of(new MailAddress("bob@example.com"))))
            .isNotEqualTo(UserRouting.thirdPartyForAllAddresses())
            .isNotEqualTo(UserRouting.internal());
        assertThat(UserRouting.thirdPartyForAllAddresses()).isNotEqualTo(UserRouting.internal());
    }
}
