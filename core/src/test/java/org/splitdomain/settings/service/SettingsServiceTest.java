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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.rrt.api.RecipientRewriteTable;
import org.apache.james.rrt.api.RecipientRewriteTableException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitdomain.route.JamesData;
import org.splitdomain.route.JamesDirectory;
import org.splitdomain.route.UserAddresses;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayCredentials;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.UserRouting;
import org.splitdomain.settings.UserRoutingRenamer;
import org.splitdomain.settings.history.HistoryQuery;
import org.splitdomain.settings.history.MemorySettingsHistory;
import org.splitdomain.settings.history.SettingsChange;

import com.google.common.collect.ImmutableList;

/**
 * The settings service on the memory store, over James's memory DomainList, UsersRepository and RecipientRewriteTable:
 * what each call writes, records in the history and warns of, and what it refuses.
 */
class SettingsServiceTest {
    private static final Domain EXAMPLE_COM = Domain.of("example.com");
    private static final Domain OTHER_COM = Domain.of("other.com");
    private static final Domain UNMANAGED_COM = Domain.of("unmanaged.com");
    private static final Username BOB = Username.of("bob@example.com");
    private static final Username ALICE = Username.of("alice@example.com");
    private static final Username CAROL = Username.of("carol@example.com");
    private static final Optional<String> ADMIN = Optional.of("admin");
    /** A host name of this machine: a relay there is this server. */
    private static final String OWN_HOST = TestSmtpEndpoints.SELF;
    private static final int OWN_PORT = 2525;
    private static final int DETAILED_IMPORT_LIMIT = 3;
    private static final DomainRouting TO_MX2 = DomainRouting.of(ImmutableList.of(RelayHost.parse("mx2.example.com")), true);

    /** A user's settings as an operator writes them. */
    private record User(Optional<Boolean> flag, Optional<List<String>> addresses) implements RequestedUserRouting {
        static User thirdParty(String... forwarded) {
            return new User(Optional.of(true), forwarded.length == 0 ? Optional.empty() : Optional.of(Arrays.asList(forwarded)));
        }

        static User internal() {
            return new User(Optional.of(false), Optional.empty());
        }

        @Override
        public Optional<Boolean> getThirdParty() {
            return flag;
        }

        @Override
        public Optional<List<String>> getForwardedAddresses() {
            return addresses;
        }
    }

    private record DomainLine(String domain, RequestedDomainRouting routing) implements SettingsImport.DomainEntry {
        @Override
        public String getDomain() {
            return domain;
        }
    }

    private record UserLine(String username, RequestedUserRouting routing) implements SettingsImport.UserEntry {
        @Override
        public String getUsername() {
            return username;
        }
    }

    private static RequestedDomainRouting relays(String... relays) {
        return () -> DomainRouting.of(Arrays.stream(relays).map(RelayHost::parse).collect(ImmutableList.toImmutableList()), true);
    }

    private JamesData james;
    private MemorySettingsHistory history;
    private RelayCredentials credentials;
    private SettingsService service;

    @BeforeEach
    void setUp(@TempDir Path credentialsDirectory) throws Exception {
        james = new JamesData()
            .domain(EXAMPLE_COM.asString())
            .domain(OTHER_COM.asString())
            .user(BOB.asString())
            .user(ALICE.asString())
            .alias("robert@example.com", BOB.asString());
        history = new MemorySettingsHistory();
        Path credentialsFile = credentialsDirectory.resolve("split-relay-credentials.properties");
        Files.writeString(credentialsFile, "partner.username=relay@example.com\npartner.password=secret\n");
        credentials = new RelayCredentials(Optional.of(credentialsFile.toFile()));
        service = service(james.domainList, james.recipientRewriteTable);
    }

    private SettingsService service(DomainList domainList, RecipientRewriteTable recipientRewriteTable) throws Exception {
        OwnSmtpEndpoints ownSmtpEndpoints = TestSmtpEndpoints.listeningOn(OWN_PORT);
        UserAddresses userAddresses = new UserAddresses(james.usersRepository, recipientRewriteTable);
        SettingsWarnings warnings = new SettingsWarnings(ownSmtpEndpoints, userAddresses, james.routeResolver, james.store);
        return new SettingsService(james.store, new JamesDirectory(domainList, james.usersRepository), userAddresses, credentials,
            warnings, new SettingsAudit(james.store, history, Clock.systemUTC(), DETAILED_IMPORT_LIMIT),
            new UserRoutingRenamer(james.store, james.usersRepository));
    }

    private List<SettingsChange> history() {
        return history.list(HistoryQuery.all());
    }

    private static MailAddress address(String value) throws Exception {
        return new MailAddress(value);
    }

    @Nested
    class SetDomain {
        @Test
        void setDomainShouldStoreTheSettingsRecordThemAndWarnOfNothingWhenNothingWillGoWrong() {
            List<String> warnings = service.setDomain(ADMIN, EXAMPLE_COM, relays("mx2.example.com"));

            assertThat(warnings).isEmpty();
            assertThat(james.store.domainRouting(EXAMPLE_COM)).contains(TO_MX2);
            assertThat(history())
                .extracting(SettingsChange::getActor, SettingsChange::getSource, SettingsChange::getKind, SettingsChange::getSubject,
                    SettingsChange::getBefore, SettingsChange::getAfter)
                .containsExactly(tuple(ADMIN, "webadmin", SettingsChange.Kind.DOMAIN, "example.com", Optional.empty(),
                    Optional.of("{\"relays\":[\"mx2.example.com:25\"],\"forwardUnknown\":true,\"verifyRecipients\":true}")));
        }

        @Test
        void setDomainShouldWarnOfARelayThatIsThisServer() {
            List<String> warnings = service.setDomain(ADMIN, EXAMPLE_COM, relays(OWN_HOST + ":" + OWN_PORT, "mx2.example.com"));

            assertThat(warnings).containsExactly("relay " + OWN_HOST + ":" + OWN_PORT
                + " is this server's own SMTP endpoint: mail relayed there comes straight back");
            assertThat(james.store.domainRouting(EXAMPLE_COM)).isPresent();
        }

        @Test
        void setDomainShouldRecordNothingWhenTheSettingsDoNotChange() {
            service.setDomain(ADMIN, EXAMPLE_COM, relays("mx2.example.com"));

            service.setDomain(ADMIN, EXAMPLE_COM, relays("mx2.example.com"));

            assertThat(history()).hasSize(1);
        }

        @Test
        void setDomainShouldRefuseADomainJamesDoesNotManageAndWriteNothing() {
            assertThatThrownBy(() -> service.setDomain(ADMIN, UNMANAGED_COM, relays("mx2.example.com")))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("Domain 'unmanaged.com' is not managed by this James server");

            assertThat(james.store.listDomainRoutings()).isEmpty();
            assertThat(history()).isEmpty();
        }

        @Test
        void setDomainShouldNameWhatIsWrongWithTheSettingsAndKeepThoseStoredBefore() {
            service.setDomain(ADMIN, EXAMPLE_COM, relays("mx2.example.com"));

            assertThatThrownBy(() -> service.setDomain(ADMIN, EXAMPLE_COM, relays("mx2.example.com:99999")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessage("Invalid split-routing settings for example.com: relay 'mx2.example.com:99999': port must be 1-65535");

            assertThat(james.store.domainRouting(EXAMPLE_COM)).contains(TO_MX2);
        }

        @Test
        void setDomainShouldRefuseACredentialTheCredentialsFileDoesNotDefine() {
            RequestedDomainRouting withTypo = () -> DomainRouting.of(ImmutableList.of(RelayHost.parse("smtp.partner.example:587")
                .withPolicy(org.splitdomain.settings.RelayTls.ENCRYPT, Optional.of("parnter"))), false);

            assertThatThrownBy(() -> service.setDomain(ADMIN, EXAMPLE_COM, withTypo))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageStartingWith("Invalid split-routing settings for example.com: relay 'smtp.partner.example:587': credential 'parnter' "
                    + "is not defined in conf/split-relay-credentials.properties");

            assertThat(james.store.listDomainRoutings()).isEmpty();
        }

        @Test
        void setDomainShouldNameTheDomainWhenJamesCannotSayWhetherItManagesIt() throws Exception {
            DomainList failing = mock(DomainList.class);
            when(failing.containsDomain(any())).thenThrow(new DomainListException("database down"));

            assertThatThrownBy(() -> service(failing, james.recipientRewriteTable).setDomain(ADMIN, EXAMPLE_COM, relays("mx2.example.com")))
                .isInstanceOf(SettingsBackendException.class)
                .hasMessage("Cannot check domain example.com")
                .hasCauseInstanceOf(DomainListException.class);

            assertThat(james.store.listDomainRoutings()).isEmpty();
        }
    }

    @Nested
    class DeleteDomain {
        @Test
        void deleteDomainShouldRemoveTheSettingsAndRecordThem() {
            service.setDomain(ADMIN, EXAMPLE_COM, relays("mx2.example.com"));

            service.deleteDomain(ADMIN, EXAMPLE_COM);

            assertThat(james.store.domainRouting(EXAMPLE_COM)).isEmpty();
            assertThat(history().get(0)).satisfies(change -> {
                assertThat(change.getSource()).isEqualTo("webadmin");
                assertThat(change.getBefore()).isPresent();
                assertThat(change.getAfter()).isEmpty();
            });
        }

        @Test
        void deleteDomainShouldCleanUpTheSettingsOfADomainJamesNoLongerManages() throws Exception {
            james.store.storeDomainRouting(UNMANAGED_COM, TO_MX2);

            service.deleteDomain(ADMIN, UNMANAGED_COM);

            assertThat(james.store.listDomainRoutings()).isEmpty();
        }

        @Test
        void deleteDomainShouldRefuseADomainJamesDoesNotManageWithoutSettings() {
            assertThatThrownBy(() -> service.deleteDomain(ADMIN, UNMANAGED_COM))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("Domain 'unmanaged.com' is not managed by this James server");
        }

        @Test
        void deleteDomainShouldSucceedWithoutRecordingAnythingWhenAManagedDomainHasNoSettings() {
            service.deleteDomain(ADMIN, EXAMPLE_COM);

            assertThat(history()).isEmpty();
        }
    }

    @Nested
    class SetUser {
        @Test
        void setUserShouldStoreTheForwardedAddressesAsJamesSpellsThem() throws Exception {
            service.setDomain(ADMIN, EXAMPLE_COM, relays("mx2.example.com"));

            List<String> warnings = service.setUser(ADMIN, BOB, User.thirdParty("ROBERT@example.com"));

            assertThat(warnings).isEmpty();
            assertThat(james.store.userRouting(BOB)).contains(UserRouting.thirdParty(ImmutableList.of(address("robert@example.com"))));
            assertThat(history().get(0).getAfter()).contains("{\"thirdParty\":true,\"forwardedAddresses\":[\"robert@example.com\"]}");
        }

        @Test
        void setUserShouldWarnWhenTheUsersDomainHasNoRelay() {
            List<String> warnings = service.setUser(ADMIN, BOB, User.thirdParty(BOB.asString()));

            assertThat(warnings).containsExactly("hosted on the other system, but domain 'example.com' has no split-routing relays: "
                + "its mail stays here");
            assertThat(james.store.userRouting(BOB)).isPresent();
        }

        @Test
        void setUserShouldWarnOfAnAliasTheOtherSystemMustKnow() {
            service.setDomain(ADMIN, EXAMPLE_COM, relays("mx2.example.com"));

            assertThat(service.setUser(ADMIN, BOB, User.thirdParty())).containsExactly("robert@example.com is relayed unchanged: it is an "
                + "alias of third-party user bob@example.com, who forwards all addresses, so the other system must know robert@example.com "
                + "too. Create it there, or forward only the addresses it knows (\"forwardedAddresses\": [\"bob@example.com\"]): "
                + "robert@example.com is then rewritten to bob@example.com before it is relayed");
        }

        @Test
        void setUserShouldRefuseAUserJamesDoesNotHaveAnAliasIncluded() {
            assertThatThrownBy(() -> service.setUser(ADMIN, CAROL, User.thirdParty()))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("User 'carol@example.com' does not exist");
            assertThatThrownBy(() -> service.setUser(ADMIN, Username.of("robert@example.com"), User.thirdParty()))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("User 'robert@example.com' does not exist");

            assertThat(james.store.listUserRoutings()).isEmpty();
        }

        @Test
        void setUserShouldRefuseAnAddressThatIsNotTheUsers() {
            assertThatThrownBy(() -> service.setUser(ADMIN, ALICE, User.thirdParty("robert@example.com")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessage("'forwardedAddresses': 'robert@example.com' is not an address of user alice@example.com "
                    + "(its addresses: [alice@example.com])");

            assertThat(james.store.listUserRoutings()).isEmpty();
        }

        @Test
        void setUserShouldRefuseSettingsWithoutThirdParty() {
            assertThatThrownBy(() -> service.setUser(ADMIN, BOB, new User(Optional.empty(), Optional.empty())))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessage("'thirdParty' is mandatory (true or false)");
        }

        @Test
        void setUserShouldNameTheUserWhenJamesCannotListItsAddresses() throws Exception {
            RecipientRewriteTable failing = mock(RecipientRewriteTable.class);
            when(failing.listSources(any())).thenThrow(new RecipientRewriteTableException("database down"));

            assertThatThrownBy(() -> service(james.domainList, failing).setUser(ADMIN, BOB, User.thirdParty(BOB.asString())))
                .isInstanceOf(SettingsBackendException.class)
                .hasMessage("Cannot read the addresses of user bob@example.com");

            assertThat(james.store.listUserRoutings()).isEmpty();
        }

        @Test
        void deleteUserShouldCleanUpTheSettingsOfAUserJamesNoLongerHas() throws Exception {
            james.store.storeUserRouting(CAROL, UserRouting.thirdPartyForAllAddresses());

            service.deleteUser(ADMIN, CAROL);

            assertThat(james.store.listUserRoutings()).isEmpty();
            assertThat(history()).extracting(SettingsChange::getSubject, SettingsChange::getSource).containsExactly(tuple("carol@example.com", "webadmin"));
        }

        @Test
        void deleteUserShouldRefuseAUserJamesDoesNotHaveWithoutSettings() {
            assertThatThrownBy(() -> service.deleteUser(ADMIN, CAROL))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("User 'carol@example.com' does not exist");
        }
    }

    @Nested
    class Import {
        private SettingsImport document(List<DomainLine> domains, List<UserLine> users, SettingsImport.Mode mode, boolean dryRun) {
            return new SettingsImport(domains, users, mode, dryRun);
        }

        @Test
        void importShouldWriteEveryEntryCountThemAndRecordEachOne() {
            james.store.storeUserRouting(ALICE, UserRouting.thirdPartyForAllAddresses());

            ImportReport report = service.importSettings(ADMIN, document(
                List.of(new DomainLine("example.com", relays("mx2.example.com"))),
                List.of(new UserLine("bob@example.com", User.thirdParty("bob@example.com"))),
                SettingsImport.Mode.MERGE, false));

            assertThat(report.getChanges()).containsExactly(
                Map.entry("added", Map.of("domains", 1, "users", 1)),
                Map.entry("changed", Map.of("domains", 0, "users", 0)),
                Map.entry("removed", Map.of("domains", 0, "users", 0)),
                Map.entry("unchanged", Map.of("domains", 0, "users", 0)));
            assertThat(report.getWarnings()).isEmpty();
            assertThat(report.getDiff()).isEmpty();
            assertThat(james.store.domainRouting(EXAMPLE_COM)).contains(TO_MX2);
            assertThat(james.store.userRouting(ALICE)).contains(UserRouting.thirdPartyForAllAddresses());
            assertThat(history()).extracting(SettingsChange::getSource, SettingsChange::getSubject)
                .containsExactlyInAnyOrder(tuple("import", "example.com"), tuple("import", "bob@example.com"));
        }

        @Test
        void aDryRunShouldReportEveryChangeAndWriteNothing() {
            james.store.storeUserRouting(ALICE, UserRouting.internal());

            ImportReport report = service.importSettings(ADMIN, document(List.of(),
                List.of(new UserLine("bob@example.com", User.thirdParty())), SettingsImport.Mode.REPLACE, true));

            assertThat(report.getDiff()).hasValue(List.of(
                Map.of("username", "bob@example.com", "change", "added", "after", Map.of("thirdParty", true)),
                Map.of("username", "alice@example.com", "change", "removed", "before", Map.of("thirdParty", false))));
            assertThat(james.store.listUserRoutings()).containsOnlyKeys(ALICE);
            assertThat(history()).isEmpty();
        }

        @Test
        void replaceShouldRemoveWhatTheDocumentDoesNotMention() {
            james.store.storeDomainRouting(OTHER_COM, TO_MX2);
            james.store.storeUserRouting(ALICE, UserRouting.thirdPartyForAllAddresses());

            service.importSettings(ADMIN, document(List.of(new DomainLine("example.com", relays("mx2.example.com"))), List.of(),
                SettingsImport.Mode.REPLACE, false));

            assertThat(james.store.listDomainRoutings()).containsOnlyKeys(EXAMPLE_COM);
            assertThat(james.store.listUserRoutings()).isEmpty();
        }

        @Test
        void everyBadEntryShouldBeNamedAndNothingWritten() {
            assertThatThrownBy(() -> service.importSettings(ADMIN, document(
                    Arrays.asList(new DomainLine("unmanaged.com", relays("mx2.example.com")), new DomainLine("example.com", relays("mx:99999")), null),
                    Arrays.asList(new UserLine("alice@example.com", User.thirdParty()), new UserLine("nobody@example.com", User.thirdParty()),
                        new UserLine("alice@example.com", User.internal())),
                    SettingsImport.Mode.MERGE, false)))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessage("5 entries are invalid, nothing was written: "
                    + "domains[0] 'unmanaged.com': domain is not managed by this James server; "
                    + "domains[1] 'example.com': relay 'mx:99999': port must be 1-65535; "
                    + "domains[2]: 'domain' is mandatory; "
                    + "users[1] 'nobody@example.com': user does not exist; "
                    + "users[2] 'alice@example.com': user is listed twice");

            assertThat(james.store.listDomainRoutings()).isEmpty();
            assertThat(james.store.listUserRoutings()).isEmpty();
            assertThat(history()).isEmpty();
        }

        @Test
        void warningsShouldNameTheirEntryAndCountTheDomainsTheImportGivesRelays() {
            ImportReport report = service.importSettings(ADMIN, document(
                List.of(new DomainLine("other.com", relays(OWN_HOST + ":" + OWN_PORT))),
                List.of(new UserLine("bob@example.com", User.thirdParty()), new UserLine("alice@example.com", User.thirdParty())),
                SettingsImport.Mode.MERGE, false));

            assertThat(report.getWarnings()).containsExactly(
                "domain 'other.com': relay " + OWN_HOST + ":" + OWN_PORT + " is this server's own SMTP endpoint: mail relayed there comes straight back",
                "user 'bob@example.com': hosted on the other system, but domain 'example.com' has no split-routing relays: its mail stays here",
                "user 'alice@example.com': hosted on the other system, but domain 'example.com' has no split-routing relays: its mail stays here");
        }

        @Test
        void anImportOfMoreChangesThanTheDetailedLimitShouldBeRecordedAsOneEntryOfCounts() {
            service.importSettings(ADMIN, document(
                List.of(new DomainLine("example.com", relays("mx2.example.com")), new DomainLine("other.com", relays("mx2.example.com"))),
                List.of(new UserLine("bob@example.com", User.thirdParty()), new UserLine("alice@example.com", User.internal())),
                SettingsImport.Mode.MERGE, false));

            assertThat(history()).singleElement().satisfies(change -> {
                assertThat(change.getKind()).isEqualTo(SettingsChange.Kind.ALL);
                assertThat(change.getAfter()).contains("{\"mode\":\"merge\",\"added\":{\"domains\":2,\"users\":2},\"changed\":{\"domains\":0,"
                    + "\"users\":0},\"removed\":{\"domains\":0,\"users\":0},\"unchanged\":{\"domains\":0,\"users\":0}}");
            });
        }
    }

    /** What James's own user and domain management changes, as WebAdmin's filters report it. */
    @Nested
    class Lifecycle {
        @Test
        void userDeletedShouldRemoveItsSettingsAndRecordWhy() {
            james.store.storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());

            service.userDeleted(ADMIN, BOB);

            assertThat(james.store.userRouting(BOB)).isEmpty();
            assertThat(history()).extracting(SettingsChange::getSource, SettingsChange::getSubject).containsExactly(tuple("user-deleted", "bob@example.com"));
        }

        @Test
        void domainDeletedShouldRemoveItsSettingsAndRecordWhy() {
            james.store.storeDomainRouting(EXAMPLE_COM, TO_MX2);

            service.domainDeleted(ADMIN, EXAMPLE_COM);

            assertThat(james.store.domainRouting(EXAMPLE_COM)).isEmpty();
            assertThat(history()).extracting(SettingsChange::getSource, SettingsChange::getSubject).containsExactly(tuple("domain-deleted", "example.com"));
        }

        @Test
        void aRenameShouldCopyTheSettingsAheadThenMoveThemAndRecordBothSteps() throws Exception {
            Username renamed = Username.of("robert.b@example.com");
            james.user(renamed.asString());
            james.store.storeUserRouting(BOB, UserRouting.thirdParty(ImmutableList.of(address("bob@example.com"))));

            assertThat(service.renameStarting(ADMIN, BOB, renamed)).isTrue();
            assertThat(james.store.userRouting(renamed)).contains(UserRouting.thirdParty(ImmutableList.of(address("robert.b@example.com"))));
            service.renameDone(ADMIN, BOB, renamed, true);

            assertThat(james.store.listUserRoutings()).containsOnlyKeys(renamed);
            assertThat(history()).extracting(SettingsChange::getSource, SettingsChange::getSubject)
                .containsExactly(tuple("user-renamed", "bob@example.com"), tuple("user-renamed", "robert.b@example.com"));
        }

        @Test
        void anAbandonedRenameShouldDropTheCopyAndLeaveTheSettingsWithTheOldName() throws Exception {
            Username renamed = Username.of("robert.b@example.com");
            james.user(renamed.asString());
            james.store.storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());
            service.renameStarting(ADMIN, BOB, renamed);

            service.renameAbandoned(ADMIN, BOB, renamed);

            assertThat(james.store.listUserRoutings()).containsOnlyKeys(BOB);
        }

        @Test
        void aRenameNotFollowedFromItsStartShouldStillMoveTheSettings() throws Exception {
            Username renamed = Username.of("robert.b@example.com");
            james.user(renamed.asString());
            james.store.storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());

            service.renameDone(ADMIN, BOB, renamed, false);

            assertThat(james.store.listUserRoutings()).containsOnly(Map.entry(renamed, UserRouting.thirdPartyForAllAddresses()));
        }
    }

    @Nested
    class Reads {
        @Test
        void domainSettingsShouldRefuseADomainJamesDoesNotManage() {
            assertThatThrownBy(() -> service.domainSettings(UNMANAGED_COM))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("Domain 'unmanaged.com' is not managed by this James server");
        }

        @Test
        void forwardedAddressesShouldBeEveryAddressOfTheUserWhenAllAreForwarded() throws Exception {
            assertThat(service.forwardedAddresses(BOB, UserRouting.thirdPartyForAllAddresses()))
                .containsExactlyInAnyOrder(address("bob@example.com"), address("robert@example.com"));
        }

        @Test
        void listingsShouldBeSortedByName() {
            james.store.storeUserRouting(BOB, UserRouting.internal());
            james.store.storeUserRouting(ALICE, UserRouting.internal());

            assertThat(service.usersByName()).extracting(Map.Entry::getKey).containsExactly(ALICE, BOB);
        }
    }
}
