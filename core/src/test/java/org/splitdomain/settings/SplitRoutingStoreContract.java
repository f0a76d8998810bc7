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
import static org.assertj.core.api.Assertions.entry;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.junit.jupiter.api.Test;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

/** What every settings backend must do. A backend's test implements this interface and provides {@link #store()}. */
public interface SplitRoutingStoreContract {
    Domain EXAMPLE_COM = Domain.of("example.com");
    Domain EXAMPLE_ORG = Domain.of("example.org");
    Domain OTHER_COM = Domain.of("other.com");
    Username BOB = Username.of("bob@example.com");
    Username ALICE = Username.of("alice@example.com");
    DomainRouting TO_PARTNER = DomainRouting.of(ImmutableList.of(RelayHost.parse("mx2.example.com")), true);
    DomainRouting TO_TWO_RELAYS = DomainRouting.of(ImmutableList.of(RelayHost.parse("mx3.example.com:2525"), RelayHost.parse("10.0.0.3")), false);

    SplitRoutingStore store();

    @Test
    default void domainRoutingShouldBeEmptyWhenNothingStored() {
        assertThat(store().domainRouting(EXAMPLE_COM)).isEmpty();
    }

    @Test
    default void domainRoutingShouldReturnWhatWasStored() {
        store().storeDomainRouting(EXAMPLE_COM, TO_TWO_RELAYS);

        assertThat(store().domainRouting(EXAMPLE_COM)).contains(TO_TWO_RELAYS);
    }

    @Test
    default void storeDomainRoutingShouldReplacePreviousSettings() {
        store().storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
        store().storeDomainRouting(EXAMPLE_COM, TO_TWO_RELAYS);

        assertThat(store().domainRouting(EXAMPLE_COM)).contains(TO_TWO_RELAYS);
    }

    @Test
    default void domainRoutingShouldKeepRelayOrder() {
        store().storeDomainRouting(EXAMPLE_COM, TO_TWO_RELAYS);

        assertThat(store().domainRouting(EXAMPLE_COM).get().getRelays())
            .containsExactly(RelayHost.parse("mx3.example.com:2525"), RelayHost.parse("10.0.0.3:25"));
    }

    @Test
    default void aSmallImportShouldReplaceEachNamedUserWholeAndLeaveTheOthers() throws Exception {
        importShouldReplaceEachNamedUserWholeAndLeaveTheOthers(3);
    }

    /** Past the size where a database store reads every user's settings once instead of looking each one up. */
    @Test
    default void aLargeImportShouldReplaceEachNamedUserWholeAndLeaveTheOthers() throws Exception {
        importShouldReplaceEachNamedUserWholeAndLeaveTheOthers(6_001);
    }

    private void importShouldReplaceEachNamedUserWholeAndLeaveTheOthers(int newUsers) throws Exception {
        Username carol = Username.of("carol@example.com");
        Username dave = Username.of("dave@example.com");
        store().storeUserRouting(BOB, UserRouting.thirdParty(ImmutableList.of(new MailAddress("bob@example.com"), new MailAddress("b@example.com"))));
        store().storeUserRouting(ALICE, UserRouting.internal());
        store().storeUserRouting(carol, UserRouting.thirdParty(ImmutableList.of(new MailAddress("carol@example.com"))));
        store().storeUserRouting(dave, UserRouting.thirdParty(ImmutableList.of(new MailAddress("dave@example.com"))));
        ImmutableMap.Builder<Username, UserRouting> imported = ImmutableMap.<Username, UserRouting>builder()
            .put(BOB, UserRouting.thirdParty(ImmutableList.of(new MailAddress("robert@example.com"), new MailAddress("bob@example.com"))))
            .put(ALICE, UserRouting.thirdPartyForAllAddresses())
            .put(carol, UserRouting.thirdParty(ImmutableList.of(new MailAddress("carol@example.com"))));
        for (int i = 0; i < newUsers; i++) {
            imported.put(Username.of("new" + i + "@example.com"), i % 2 == 0 ? UserRouting.internal() : UserRouting.thirdPartyForAllAddresses());
        }

        store().storeAll(ImmutableMap.of(EXAMPLE_COM, TO_PARTNER), imported.build());

        UserRouting bobImported = UserRouting.thirdParty(ImmutableList.of(new MailAddress("robert@example.com"), new MailAddress("bob@example.com")));
        assertThat(store().userRouting(BOB)).as("the addresses chosen, and only those").contains(bobImported);
        assertThat(store().userRouting(ALICE)).contains(UserRouting.thirdPartyForAllAddresses());
        assertThat(store().userRouting(carol)).contains(UserRouting.thirdParty(ImmutableList.of(new MailAddress("carol@example.com"))));
        assertThat(store().userRouting(dave)).as("not named by the import").contains(UserRouting.thirdParty(ImmutableList.of(new MailAddress("dave@example.com"))));
        assertThat(store().listUserRoutings()).hasSize(4 + newUsers)
            .containsEntry(Username.of("new1@example.com"), UserRouting.thirdPartyForAllAddresses())
            .containsEntry(Username.of("new0@example.com"), UserRouting.internal());
        assertThat(store().listUserRoutings()).containsEntry(BOB, bobImported);
    }

    @Test
    default void applyAllShouldStoreWhatItGivesAndRemoveWhatItEmpties() {
        store().storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
        store().storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());
        store().storeUserRouting(ALICE, UserRouting.internal());

        store().applyAll(ImmutableMap.of(EXAMPLE_COM, java.util.Optional.empty(), EXAMPLE_ORG, java.util.Optional.of(TO_TWO_RELAYS)),
            ImmutableMap.of(BOB, java.util.Optional.empty(), ALICE, java.util.Optional.of(UserRouting.thirdPartyForAllAddresses())));

        assertThat(store().listDomainRoutings()).containsOnly(entry(EXAMPLE_ORG, TO_TWO_RELAYS));
        assertThat(store().listUserRoutings()).containsOnly(entry(ALICE, UserRouting.thirdPartyForAllAddresses()));
        assertThat(store().userRouting(BOB)).isEmpty();
        assertThat(store().domainRouting(EXAMPLE_COM)).isEmpty();
    }

    @Test
    default void storeAllShouldStoreEveryEntryAndReplaceTheSettingsItNames() {
        store().storeDomainRouting(EXAMPLE_COM, TO_TWO_RELAYS);
        store().storeUserRouting(BOB, UserRouting.internal());

        store().storeAll(ImmutableMap.of(EXAMPLE_COM, TO_PARTNER, EXAMPLE_ORG, TO_TWO_RELAYS),
            ImmutableMap.of(BOB, UserRouting.thirdPartyForAllAddresses()));

        assertThat(store().listDomainRoutings()).containsOnly(entry(EXAMPLE_COM, TO_PARTNER), entry(EXAMPLE_ORG, TO_TWO_RELAYS));
        assertThat(store().userRouting(BOB)).contains(UserRouting.thirdPartyForAllAddresses());
    }

    @Test
    default void domainRoutingShouldKeepWhetherRecipientsAreVerified() {
        DomainRouting verifying = DomainRouting.of(ImmutableList.of(RelayHost.parse("10.0.0.1")), true, true);
        DomainRouting notVerifying = DomainRouting.of(ImmutableList.of(RelayHost.parse("10.0.0.2")), true, false);

        store().storeDomainRouting(EXAMPLE_COM, verifying);
        store().storeDomainRouting(EXAMPLE_ORG, notVerifying);

        assertThat(store().domainRouting(EXAMPLE_COM).map(DomainRouting::isVerifyRecipients)).contains(true);
        assertThat(store().domainRouting(EXAMPLE_ORG).map(DomainRouting::isVerifyRecipients)).contains(false);
        assertThat(store().listDomainRoutings()).containsEntry(EXAMPLE_COM, verifying).containsEntry(EXAMPLE_ORG, notVerifying);
    }

    @Test
    default void domainRoutingShouldKeepEachRelaysSessionPolicy() {
        DomainRouting withPolicies = DomainRouting.of(ImmutableList.of(
            RelayHost.parse("smtp.partner.example:587").withPolicy(RelayTls.VERIFY, java.util.Optional.of("partner-cloud")),
            RelayHost.parse("10.0.0.3").withPolicy(RelayTls.NONE, java.util.Optional.empty()),
            RelayHost.parse("10.0.0.4")), false);

        store().storeDomainRouting(EXAMPLE_COM, withPolicies);

        assertThat(store().domainRouting(EXAMPLE_COM)).contains(withPolicies);
        assertThat(store().listDomainRoutings().get(EXAMPLE_COM).getRelays())
            .extracting(RelayHost::asStored)
            .containsExactly("smtp.partner.example:587;tls=verify;credential=partner-cloud", "10.0.0.3:25;tls=none", "10.0.0.4:25");
    }

    @Test
    default void domainRoutingShouldIgnoreDomainCase() {
        store().storeDomainRouting(Domain.of("Example.COM"), TO_PARTNER);

        assertThat(store().domainRouting(EXAMPLE_COM)).contains(TO_PARTNER);
    }

    @Test
    default void deleteDomainRoutingShouldRemoveSettings() {
        store().storeDomainRouting(EXAMPLE_COM, TO_PARTNER);

        store().deleteDomainRouting(EXAMPLE_COM);

        assertThat(store().domainRouting(EXAMPLE_COM)).isEmpty();
    }

    @Test
    default void deleteDomainRoutingShouldBeIdempotent() {
        store().deleteDomainRouting(EXAMPLE_COM);
        store().deleteDomainRouting(EXAMPLE_COM);

        assertThat(store().listDomainRoutings()).isEmpty();
    }

    @Test
    default void deleteDomainRoutingShouldNotAffectOtherDomains() {
        store().storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
        store().storeDomainRouting(OTHER_COM, TO_TWO_RELAYS);

        store().deleteDomainRouting(EXAMPLE_COM);

        assertThat(store().listDomainRoutings()).containsOnlyKeys(OTHER_COM);
    }

    @Test
    default void listDomainRoutingsShouldReturnEveryDomain() {
        store().storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
        store().storeDomainRouting(OTHER_COM, TO_TWO_RELAYS);

        assertThat(store().listDomainRoutings())
            .hasSize(2)
            .containsEntry(EXAMPLE_COM, TO_PARTNER)
            .containsEntry(OTHER_COM, TO_TWO_RELAYS);
    }

    @Test
    default void userRoutingShouldBeEmptyWhenNothingStored() {
        assertThat(store().userRouting(BOB)).isEmpty();
    }

    @Test
    default void userRoutingShouldReturnForwardAllSettings() {
        store().storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());

        assertThat(store().userRouting(BOB)).contains(UserRouting.thirdPartyForAllAddresses());
    }

    @Test
    default void userRoutingShouldReturnChosenAddresses() throws Exception {
        UserRouting chosen = UserRouting.thirdParty(ImmutableList.of(new MailAddress("bob@example.com"), new MailAddress("robert@example.com")));
        store().storeUserRouting(BOB, chosen);

        assertThat(store().userRouting(BOB)).contains(chosen);
    }

    @Test
    default void userRoutingShouldReturnInternalSettings() {
        store().storeUserRouting(BOB, UserRouting.internal());

        assertThat(store().userRouting(BOB)).contains(UserRouting.internal());
    }

    @Test
    default void storeUserRoutingShouldReplacePreviousSettings() {
        store().storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());
        store().storeUserRouting(BOB, UserRouting.internal());

        assertThat(store().userRouting(BOB)).contains(UserRouting.internal());
    }

    @Test
    default void deleteUserRoutingShouldBeIdempotent() {
        store().storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());

        store().deleteUserRouting(BOB);
        store().deleteUserRouting(BOB);

        assertThat(store().userRouting(BOB)).isEmpty();
    }

    @Test
    default void listUserRoutingsShouldReturnEveryUser() {
        store().storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());
        store().storeUserRouting(ALICE, UserRouting.internal());

        assertThat(store().listUserRoutings())
            .hasSize(2)
            .containsEntry(BOB, UserRouting.thirdPartyForAllAddresses())
            .containsEntry(ALICE, UserRouting.internal());
    }

    @Test
    default void listDomainRoutingsShouldBeEmptyWhenNothingStored() {
        assertThat(store().listDomainRoutings()).isEmpty();
    }

    @Test
    default void listDomainRoutingsShouldNameADomainOnceWhateverTheCaseItWasStoredWith() {
        store().storeDomainRouting(Domain.of("Example.COM"), TO_PARTNER);
        store().storeDomainRouting(EXAMPLE_COM, TO_TWO_RELAYS);

        assertThat(store().listDomainRoutings())
            .hasSize(1)
            .containsEntry(EXAMPLE_COM, TO_TWO_RELAYS);
    }

    @Test
    default void deleteDomainRoutingShouldIgnoreDomainCase() {
        store().storeDomainRouting(EXAMPLE_COM, TO_PARTNER);

        store().deleteDomainRouting(Domain.of("EXAMPLE.com"));

        assertThat(store().domainRouting(EXAMPLE_COM)).isEmpty();
    }

    @Test
    default void deleteShouldBeIdempotent() {
        store().storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
        store().storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());

        store().deleteDomainRouting(EXAMPLE_COM);
        store().deleteDomainRouting(EXAMPLE_COM);
        store().deleteUserRouting(BOB);
        store().deleteUserRouting(BOB);

        assertThat(store().listDomainRoutings()).isEmpty();
        assertThat(store().listUserRoutings()).isEmpty();
    }

    @Test
    default void deleteUserRoutingShouldSucceedWhenNothingStored() {
        store().deleteUserRouting(BOB);

        assertThat(store().listUserRoutings()).isEmpty();
    }

    @Test
    default void deleteUserRoutingShouldNotAffectOtherUsers() {
        store().storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());
        store().storeUserRouting(ALICE, UserRouting.internal());

        store().deleteUserRouting(BOB);

        assertThat(store().listUserRoutings()).containsOnlyKeys(ALICE);
    }

    @Test
    default void listUserRoutingsShouldBeEmptyWhenNothingStored() {
        assertThat(store().listUserRoutings()).isEmpty();
    }

    @Test
    default void userRoutingShouldIgnoreUsernameCase() {
        store().storeUserRouting(Username.of("Bob@Example.COM"), UserRouting.thirdPartyForAllAddresses());

        assertThat(store().userRouting(BOB)).contains(UserRouting.thirdPartyForAllAddresses());
    }

    @Test
    default void userRoutingShouldKeepChosenAddressesOfSeveralDomains() throws Exception {
        UserRouting chosen = UserRouting.thirdParty(ImmutableList.of(new MailAddress("bob@other.com"), new MailAddress("bob@example.com")));
        store().storeUserRouting(BOB, chosen);

        assertThat(store().userRouting(BOB).flatMap(UserRouting::getForwardedAddresses).orElseThrow())
            .containsExactlyInAnyOrder(new MailAddress("bob@example.com"), new MailAddress("bob@other.com"));
    }

    @Test
    default void usersAndDomainsShouldBeIndependent() {
        store().storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
        store().storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());

        store().deleteDomainRouting(EXAMPLE_COM);

        assertThat(store().userRouting(BOB)).isPresent();
        assertThat(store().listDomainRoutings()).isEmpty();
    }

    @Test
    default void deletingAUserRoutingShouldNotAffectDomains() {
        store().storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
        store().storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());

        store().deleteUserRouting(BOB);

        assertThat(store().domainRouting(EXAMPLE_COM)).contains(TO_PARTNER);
        assertThat(store().listUserRoutings()).isEmpty();
    }

    @Test
    default void aDomainAndAUserOfTheSameNameShouldNotCollide() {
        store().storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
        store().storeUserRouting(Username.of("example.com"), UserRouting.internal());

        assertThat(store().domainRouting(EXAMPLE_COM)).contains(TO_PARTNER);
        assertThat(store().userRouting(Username.of("example.com"))).contains(UserRouting.internal());
    }
}
