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
package org.splitdomain.settings.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.splitdomain.route.JamesData;
import org.splitdomain.route.UserAddresses;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayHost;

import com.google.common.collect.ImmutableList;

/** The warnings the start-up check, the health checks and the route explanation say, from the same rules as the writes. */
class SettingsWarningsTest {
    private static final RelayHost OWN_RELAY = RelayHost.parse(TestSmtpEndpoints.SELF + ":2525");
    private static final RelayHost PARTNER = RelayHost.parse(TestSmtpEndpoints.PARTNER + ":25");
    private static final String OWN_RELAY_WARNING = "relay " + TestSmtpEndpoints.SELF + ":2525 is this server's own SMTP endpoint: "
        + "mail relayed there comes straight back";

    private JamesData james;
    private SettingsWarnings warnings;

    @BeforeEach
    void setUp() throws Exception {
        james = new JamesData()
            .domain("example.com")
            .domain("other.com")
            .user("bob@example.com")
            .user("alice@other.com")
            .alias("robert@example.com", "bob@example.com");
        warnings = new SettingsWarnings(TestSmtpEndpoints.listeningOn(2525), new UserAddresses(james.usersRepository, james.recipientRewriteTable),
            james.routeResolver, james.store);
    }

    @Test
    void ownRelaysShouldNameEachDomainWhoseRelayIsThisServer() {
        assertThat(warnings.ownRelays(Map.of(
                Domain.of("looping.com"), DomainRouting.of(ImmutableList.of(PARTNER, OWN_RELAY), true),
                Domain.of("fine.com"), DomainRouting.of(ImmutableList.of(PARTNER), true))))
            .containsExactly("Split routing of looping.com: " + OWN_RELAY_WARNING);
    }

    @Test
    void withoutRecipientVerificationShouldSayWhatEachUnverifiedDomainAcceptsByDomainName() {
        assertThat(SettingsWarnings.withoutRecipientVerification(Map.of(
                Domain.of("b.com"), DomainRouting.of(ImmutableList.of(PARTNER), true, false),
                Domain.of("a.com"), DomainRouting.of(ImmutableList.of(PARTNER), false, false),
                Domain.of("verified.com"), DomainRouting.of(ImmutableList.of(PARTNER), true, true))))
            .containsExactly(
                "a.com relays its third-party users' addresses without verifying them at RCPT: one the relay does not host is "
                    + "accepted, then bounced to its sender, who may be forged; set \"verifyRecipients\": true",
                "b.com forwards unknown addresses without verifying them at RCPT: an address nobody hosts is accepted, then "
                    + "bounced to its sender, who may be forged; set \"verifyRecipients\": true");
    }

    @Test
    void theExplanationOfAnAliasShouldWarnThatItIsRelayedUnchangedAndOfARelayThatIsThisServer() throws Exception {
        james.relays("example.com", false, OWN_RELAY).thirdParty("bob@example.com");

        assertThat(warnings.ofExplanation(james.routeResolver.explain(new MailAddress("robert@example.com"))))
            .containsExactly(SettingsWarnings.aliasRelayedUnchanged(new MailAddress("robert@example.com"),
                Username.of("bob@example.com")), OWN_RELAY_WARNING);
    }

    @Test
    void theExplanationOfAThirdPartyUserWithoutRelayShouldSayItsMailStaysHere() throws Exception {
        james.thirdParty("alice@other.com");

        assertThat(warnings.ofExplanation(james.routeResolver.explain(new MailAddress("alice@other.com"))))
            .containsExactly("alice@other.com is a forwarded address of third-party user alice@other.com but neither its domain "
                + "nor the user's has a relay: delivered here");
    }

    @Test
    void theExplanationOfAnAddressThatStaysHereShouldWarnOfNothing() throws Exception {
        assertThat(warnings.ofExplanation(james.routeResolver.explain(new MailAddress("bob@example.com")))).isEmpty();
    }
}
