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
package org.splitdomain.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.splitdomain.route.JamesData.PARTNER;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.rrt.api.RecipientRewriteTable;
import org.apache.james.rrt.api.RecipientRewriteTableException;
import org.apache.james.rrt.lib.MappingSource;
import org.apache.james.rrt.lib.MappingsImpl;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.UserRouting;

class RouteResolverTest {
    private static final RelayHost OTHER_PARTNER = RelayHost.parse("mx.other.example.net");

    private JamesData james;
    private RouteResolver resolver;

    @BeforeEach
    void setUp() throws Exception {
        james = new JamesData()
            .domain("example.com")
            .domain("other.com")
            .user("alice@example.com")
            .user("bob@example.com")
            .user("dave@example.com")
            .alias("robert@example.com", "bob@example.com")
            .alias("dave.partner@example.com", "dave@example.com")
            .groupMember("team@example.com", "alice@example.com")
            .groupMember("team@example.com", "bob@example.com");
        resolver = james.routeResolver;
    }

    private static MailAddress address(String value) {
        try {
            return new MailAddress(value);
        } catch (javax.mail.internet.AddressException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Nested
    class ThirdPartyRoute {
        @Test
        void thirdPartyRouteShouldRelayTheUsernameOfAThirdPartyUser() throws Exception {
            james.relays("example.com", false, PARTNER).thirdParty("bob@example.com");

            assertThat(resolver.thirdPartyRoute(address("bob@example.com")))
                .hasValueSatisfying(decision -> {
                    assertThat(decision.getRoute()).isEqualTo(Route.RELAY);
                    assertThat(decision.getRule()).isEqualTo(RouteRule.THIRD_PARTY);
                    assertThat(decision.getRelays()).containsExactly(PARTNER);
                    assertThat(decision.getAddress()).isEqualTo(address("bob@example.com"));
                    assertThat(decision.getReason()).contains("third-party user bob@example.com");
                });
        }

        @Test
        void thirdPartyRouteShouldRelayAnAliasWhenAllAddressesAreForwarded() throws Exception {
            james.relays("example.com", false, PARTNER).thirdParty("bob@example.com");

            assertThat(resolver.thirdPartyRoute(address("robert@example.com")))
                .hasValueSatisfying(decision -> assertThat(decision.getRelays()).containsExactly(PARTNER));
        }

        @Test
        void thirdPartyRouteShouldRelayOnlyChosenAddresses() throws Exception {
            james.relays("example.com", false, PARTNER).thirdParty("dave@example.com", address("dave.partner@example.com"));

            assertThat(resolver.thirdPartyRoute(address("dave.partner@example.com"))).isPresent();
            assertThat(resolver.thirdPartyRoute(address("dave@example.com"))).isEmpty();
        }

        @Test
        void thirdPartyRouteShouldIgnoreCase() throws Exception {
            james.relays("example.com", false, PARTNER).thirdParty("bob@example.com");

            assertThat(resolver.thirdPartyRoute(address("Bob@Example.COM"))).isPresent();
        }

        @Test
        void thirdPartyRouteShouldUseTheUsersDomainRelaysWhenTheAddressDomainHasNone() throws Exception {
            james.alias("bob@other.com", "bob@example.com")
                .relays("example.com", false, PARTNER)
                .thirdParty("bob@example.com");

            assertThat(resolver.thirdPartyRoute(address("bob@other.com")))
                .hasValueSatisfying(decision -> assertThat(decision.getRelays()).containsExactly(PARTNER));
        }

        @Test
        void thirdPartyRouteShouldPreferTheAddressDomainRelays() throws Exception {
            james.alias("bob@other.com", "bob@example.com")
                .relays("example.com", false, PARTNER)
                .relays("other.com", false, OTHER_PARTNER)
                .thirdParty("bob@example.com");

            assertThat(resolver.thirdPartyRoute(address("bob@other.com")))
                .hasValueSatisfying(decision -> assertThat(decision.getRelays()).containsExactly(OTHER_PARTNER));
        }

        @Test
        void thirdPartyRouteShouldKeepMailHereWhenNoRelayIsConfigured() throws Exception {
            james.thirdParty("bob@example.com");

            assertThat(resolver.thirdPartyRoute(address("bob@example.com")))
                .hasValueSatisfying(decision -> {
                    assertThat(decision.getRoute()).isEqualTo(Route.LOCAL);
                    assertThat(decision.getRule()).isEqualTo(RouteRule.THIRD_PARTY_WITHOUT_RELAY);
                });
            assertThat(resolver.relayRoute(address("bob@example.com"))).isEmpty();
        }

        @Test
        void thirdPartyRouteShouldBeEmptyForAnInternalUser() throws Exception {
            james.relays("example.com", false, PARTNER);
            james.store.storeUserRouting(Username.of("bob@example.com"), UserRouting.internal());

            assertThat(resolver.thirdPartyRoute(address("bob@example.com"))).isEmpty();
            assertThat(resolver.thirdPartyRoute(address("alice@example.com"))).isEmpty();
        }

        @Test
        void thirdPartyRouteShouldIgnoreRelaysOfADomainRemovedFromTheDomainList() throws Exception {
            james.alias("bob@other.com", "bob@example.com")
                .relays("other.com", false, OTHER_PARTNER)
                .relays("example.com", false, PARTNER)
                .thirdParty("bob@example.com");
            james.domainList.removeDomain(Domain.of("other.com"));

            assertThat(resolver.thirdPartyRoute(address("bob@other.com")))
                .hasValueSatisfying(decision -> assertThat(decision.getRelays()).containsExactly(PARTNER));
        }

        @Test
        void thirdPartyRouteShouldBeEmptyForSettingsOfADeletedUser() throws Exception {
            james.relays("example.com", false, PARTNER).thirdParty("bob@example.com");
            james.usersRepository.removeUser(Username.of("bob@example.com"));

            assertThat(resolver.thirdPartyRoute(address("bob@example.com"))).isEmpty();
        }

        @Test
        void thirdPartyRouteShouldNotRelayAnAliasOutsideTheChosenAddresses() throws Exception {
            james.relays("example.com", false, PARTNER).thirdParty("bob@example.com", address("bob@example.com"));

            assertThat(resolver.thirdPartyRoute(address("robert@example.com"))).isEmpty();
            assertThat(resolver.thirdPartyRoute(address("bob@example.com"))).isPresent();
        }

        @Test
        void thirdPartyRouteShouldRelayAChosenAliasWithTheAddressUnchanged() throws Exception {
            james.relays("example.com", false, PARTNER).thirdParty("dave@example.com", address("dave.partner@example.com"));

            assertThat(resolver.thirdPartyRoute(address("dave.partner@example.com")))
                .hasValueSatisfying(decision -> {
                    assertThat(decision.getAddress()).isEqualTo(address("dave.partner@example.com"));
                    assertThat(decision.getRule()).isEqualTo(RouteRule.THIRD_PARTY);
                    assertThat(decision.getRelays()).containsExactly(PARTNER);
                    assertThat(decision.getReason()).contains("third-party user dave@example.com");
                });
        }

        @Test
        void thirdPartyRouteShouldGiveEveryRelayOfTheDomainInOrder() throws Exception {
            james.relays("example.com", false, OTHER_PARTNER, PARTNER).thirdParty("bob@example.com");

            assertThat(resolver.thirdPartyRoute(address("bob@example.com")))
                .hasValueSatisfying(decision -> assertThat(decision.getRelays()).containsExactly(OTHER_PARTNER, PARTNER));
        }

        @Test
        void thirdPartyRouteShouldBeEmptyForAnUnknownAddress() throws Exception {
            james.relays("example.com", true, PARTNER).thirdParty("bob@example.com");

            assertThat(resolver.thirdPartyRoute(address("nobody@example.com"))).isEmpty();
            assertThat(resolver.thirdPartyRoute(address("bob@elsewhere.org"))).isEmpty();
        }

        @Test
        void thirdPartyRouteShouldBeEmptyOnceTheFlagIsRemoved() throws Exception {
            james.relays("example.com", false, PARTNER).thirdParty("bob@example.com");
            james.store.deleteUserRouting(Username.of("bob@example.com"));

            assertThat(resolver.thirdPartyRoute(address("bob@example.com"))).isEmpty();
            assertThat(resolver.thirdPartyRoute(address("robert@example.com"))).isEmpty();
        }

        @Test
        void thirdPartyRouteShouldBeEmptyForAnAliasOfADeletedUser() throws Exception {
            james.relays("example.com", false, PARTNER).thirdParty("bob@example.com");
            james.usersRepository.removeUser(Username.of("bob@example.com"));

            assertThat(resolver.thirdPartyRoute(address("robert@example.com"))).isEmpty();
        }
    }

    @Nested
    class UnknownAddressRoute {
        @Test
        void unknownAddressRouteShouldRelayWhenTheDomainForwardsUnknownAddresses() throws Exception {
            james.relays("example.com", true, PARTNER);

            assertThat(resolver.unknownAddressRoute(address("nobody@example.com")))
                .hasValueSatisfying(decision -> {
                    assertThat(decision.getRoute()).isEqualTo(Route.RELAY);
                    assertThat(decision.getRule()).isEqualTo(RouteRule.FORWARD_UNKNOWN);
                    assertThat(decision.getRelays()).containsExactly(PARTNER);
                });
        }

        @Test
        void unknownAddressRouteShouldBeEmptyWhenTheDomainDoesNotForwardUnknownAddresses() throws Exception {
            james.relays("example.com", false, PARTNER);

            assertThat(resolver.unknownAddressRoute(address("nobody@example.com"))).isEmpty();
        }

        @Test
        void unknownAddressRouteShouldBeEmptyForUsersAliasesAndGroups() throws Exception {
            james.relays("example.com", true, PARTNER);

            assertThat(resolver.unknownAddressRoute(address("alice@example.com"))).isEmpty();
            assertThat(resolver.unknownAddressRoute(address("robert@example.com"))).isEmpty();
            assertThat(resolver.unknownAddressRoute(address("team@example.com"))).isEmpty();
        }

        @Test
        void unknownAddressRouteShouldBeEmptyForAnErrorMapping() throws Exception {
            james.relays("example.com", true, PARTNER);
            james.recipientRewriteTable.addErrorMapping(MappingSource.fromUser("gone", "example.com"), "550 gone for good");

            assertThat(resolver.unknownAddressRoute(address("gone@example.com"))).isEmpty();
        }

        @Test
        void unknownAddressRouteShouldBeEmptyForADomainNoLongerManaged() throws Exception {
            james.relays("example.com", true, PARTNER);
            james.domainList.removeDomain(Domain.of("example.com"));

            assertThat(resolver.unknownAddressRoute(address("nobody@example.com"))).isEmpty();
        }

        @Test
        void unknownAddressRouteShouldExplainItsDecision() throws Exception {
            james.relays("example.com", true, OTHER_PARTNER, PARTNER);

            assertThat(resolver.unknownAddressRoute(address("nobody@example.com")))
                .hasValueSatisfying(decision -> {
                    assertThat(decision.getAddress()).isEqualTo(address("nobody@example.com"));
                    assertThat(decision.getRelays()).containsExactly(OTHER_PARTNER, PARTNER);
                    assertThat(decision.getReason())
                        .isEqualTo("no user, alias or mapping for nobody@example.com and example.com forwards unknown addresses");
                });
        }

        @Test
        void unknownAddressRouteShouldBeEmptyForALocalDomainWithoutSettings() throws Exception {
            assertThat(resolver.unknownAddressRoute(address("nobody@example.com"))).isEmpty();
        }

        @Test
        void unknownAddressRouteShouldBeEmptyForADomainThatIsNotLocal() throws Exception {
            james.relays("elsewhere.org", true, PARTNER);

            assertThat(resolver.unknownAddressRoute(address("nobody@elsewhere.org"))).isEmpty();
        }

        @Test
        void unknownAddressRouteShouldBeEmptyForAThirdPartyUser() throws Exception {
            james.relays("example.com", true, PARTNER).thirdParty("bob@example.com");

            assertThat(resolver.unknownAddressRoute(address("bob@example.com"))).isEmpty();
        }
    }

    @Nested
    class Explain {
        @Test
        void explainShouldRelayTheThirdPartyMemberOfAGroupAndKeepTheOthersLocal() throws Exception {
            james.relays("example.com", false, PARTNER).thirdParty("bob@example.com");

            RouteExplanation explanation = resolver.explain(address("team@example.com"));

            assertThat(explanation.getResolvedAddresses())
                .containsExactlyInAnyOrder(address("alice@example.com"), address("bob@example.com"));
            assertThat(explanation.getDecisions())
                .extracting(RouteDecision::getAddress, RouteDecision::getRoute, RouteDecision::getRule)
                .containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple(address("alice@example.com"), Route.LOCAL, RouteRule.LOCAL_USER),
                    org.assertj.core.groups.Tuple.tuple(address("bob@example.com"), Route.RELAY, RouteRule.THIRD_PARTY_AFTER_MAPPING));
            assertThat(explanation.isUnknownEverywhere()).isFalse();
        }

        @Test
        void explainShouldFollowDomainAliasesToAThirdPartyUser() throws Exception {
            james.domain("example.org");
            james.recipientRewriteTable.addDomainAliasMapping(MappingSource.fromDomain(Domain.of("example.org")), Domain.of("example.com"));
            james.relays("example.com", false, PARTNER).thirdParty("bob@example.com");

            RouteExplanation explanation = resolver.explain(address("bob@example.org"));

            assertThat(explanation.getDecisions()).singleElement().satisfies(decision -> {
                assertThat(decision.getAddress()).isEqualTo(address("bob@example.com"));
                assertThat(decision.getRule()).isEqualTo(RouteRule.THIRD_PARTY_AFTER_MAPPING);
                assertThat(decision.getReason()).contains("reached through the mappings of bob@example.org");
            });
        }

        @Test
        void aGroupMemberHostedElsewhereShouldBeRelayedEvenWhenJamesForwardsItToALocalUser() throws Exception {
            // What a rename that failed part-way leaves: ben is still third-party, James forwards ben to cara.
            james.user("ben@example.com").user("cara@example.com").groupMember("crew@example.com", "ben@example.com");
            james.recipientRewriteTable.addForwardMapping(MappingSource.fromUser("ben", "example.com"), "cara@example.com");
            james.relays("example.com", false, PARTNER).thirdParty("ben@example.com");

            RouteExplanation explanation = resolver.explain(address("crew@example.com"));

            assertThat(explanation.getDecisions()).singleElement().satisfies(decision -> {
                assertThat(decision.getAddress()).isEqualTo(address("ben@example.com"));
                assertThat(decision.getRule()).isEqualTo(RouteRule.THIRD_PARTY_AFTER_MAPPING);
            });
            assertThat(resolver.explain(address("ben@example.com")).getDecisions()).singleElement()
                .satisfies(decision -> assertThat(decision.getRule()).isEqualTo(RouteRule.THIRD_PARTY));
            assertThat(resolver.explain(address("cara@example.com")).getDecisions()).singleElement()
                .satisfies(decision -> assertThat(decision.getRoute()).isEqualTo(Route.LOCAL));
        }

        @Test
        void aGroupMemberHostedHereShouldStillHaveItsForwardsFollowed() throws Exception {
            james.user("dina@example.com").groupMember("crew2@example.com", "dina@example.com");
            james.recipientRewriteTable.addForwardMapping(MappingSource.fromUser("dina", "example.com"), "dina@elsewhere.org");

            RouteExplanation explanation = resolver.explain(address("crew2@example.com"));

            assertThat(explanation.getDecisions()).singleElement().satisfies(decision -> {
                assertThat(decision.getAddress()).isEqualTo(address("dina@elsewhere.org"));
                assertThat(decision.getRoute()).isEqualTo(Route.REMOTE);
            });
        }

        @Test
        void explainShouldRelayTheAddressAsWrittenBeforeAnyMapping() throws Exception {
            james.relays("example.com", false, PARTNER).thirdParty("bob@example.com");

            RouteExplanation explanation = resolver.explain(address("robert@example.com"));

            assertThat(explanation.getDecisions()).singleElement().satisfies(decision -> {
                assertThat(decision.getAddress()).isEqualTo(address("robert@example.com"));
                assertThat(decision.getRule()).isEqualTo(RouteRule.THIRD_PARTY);
            });
        }

        @Test
        void explainShouldFollowAnUnchosenAliasToAChosenUsername() throws Exception {
            james.relays("example.com", false, PARTNER).thirdParty("bob@example.com", address("bob@example.com"));

            RouteExplanation explanation = resolver.explain(address("robert@example.com"));

            assertThat(explanation.getDecisions()).singleElement().satisfies(decision -> {
                assertThat(decision.getAddress()).isEqualTo(address("bob@example.com"));
                assertThat(decision.getRule()).isEqualTo(RouteRule.THIRD_PARTY_AFTER_MAPPING);
            });
        }

        @org.junit.jupiter.params.ParameterizedTest
        @org.junit.jupiter.params.provider.ValueSource(strings = {"alice@example.com", "ALICE@Example.COM", "\"alice\"@example.com",
            "alice+tag@example.com", "\"a l i c e\"@example.com", "Robert@EXAMPLE.com"})
        void explainShouldAcceptExactlyTheAddressFormsJamesOwnRecipientCheckAccepts(String form) throws Exception {
            MailAddress recipient = address(form);
            boolean jamesAccepts = james.usersRepository.contains(james.usersRepository.getUsername(recipient))
                || !james.recipientRewriteTable.getResolvedMappings(recipient.getLocalPart(), recipient.getDomain()).isEmpty();

            assertThat(!resolver.explain(recipient).isUnknownEverywhere()).isEqualTo(jamesAccepts);
        }

        @Test
        void explainShouldTreatSubaddressesAsJamesDoesAsDistinctAddresses() throws Exception {
            // James 3.8.1 has no subaddressing: bob+tag@ is not bob's mailbox, for James or for us.
            james.relays("example.com", false, PARTNER).thirdParty("bob@example.com");

            assertThat(resolver.explain(address("bob+tag@example.com")).getDecisions()).singleElement()
                .satisfies(decision -> assertThat(decision.getRule()).isEqualTo(RouteRule.UNKNOWN_LOCAL));
        }

        @Test
        void explainShouldRouteAMixedCaseAddressAsItsPlainForm() throws Exception {
            james.relays("example.com", false, PARTNER).thirdParty("bob@example.com");

            assertThat(resolver.explain(address("BOB@Example.COM")).getDecisions()).singleElement()
                .satisfies(decision -> assertThat(decision.getRule()).isEqualTo(RouteRule.THIRD_PARTY));
            assertThat(resolver.explain(address("ALICE@EXAMPLE.COM")).getDecisions()).singleElement()
                .satisfies(decision -> assertThat(decision.getRule()).isEqualTo(RouteRule.LOCAL_USER));
        }

        @Test
        void explainShouldDeliverLocalUsersHere() throws Exception {
            assertThat(resolver.explain(address("alice@example.com")).getDecisions()).singleElement()
                .satisfies(decision -> assertThat(decision.getRule()).isEqualTo(RouteRule.LOCAL_USER));
        }

        @Test
        void explainShouldRejectUnknownAddressesOfADomainThatDoesNotForwardThem() throws Exception {
            RouteExplanation explanation = resolver.explain(address("nobody@example.com"));

            assertThat(explanation.getDecisions()).singleElement().satisfies(decision -> {
                assertThat(decision.getRoute()).isEqualTo(Route.REJECT);
                assertThat(decision.getRule()).isEqualTo(RouteRule.UNKNOWN_LOCAL);
            });
            assertThat(explanation.isUnknownEverywhere()).isTrue();
        }

        @Test
        void explainShouldRelayUnknownAddressesOfADomainThatForwardsThem() throws Exception {
            james.relays("example.com", true, PARTNER);

            RouteExplanation explanation = resolver.explain(address("nobody@example.com"));

            assertThat(explanation.getDecisions()).singleElement()
                .satisfies(decision -> assertThat(decision.getRule()).isEqualTo(RouteRule.FORWARD_UNKNOWN));
            assertThat(explanation.isUnknownEverywhere()).isFalse();
        }

        @Test
        void explainShouldLeaveOtherDomainsToJamesRemoteDelivery() throws Exception {
            assertThat(resolver.explain(address("someone@elsewhere.org")).getDecisions()).singleElement()
                .satisfies(decision -> {
                    assertThat(decision.getRoute()).isEqualTo(Route.REMOTE);
                    assertThat(decision.getRule()).isEqualTo(RouteRule.REMOTE_DOMAIN);
                });
        }

        @Test
        void explainShouldReportErrorMappingsWithoutCallingThemUnknown() throws Exception {
            james.recipientRewriteTable.addErrorMapping(MappingSource.fromUser("gone", "example.com"), "550 gone for good");

            RouteExplanation explanation = resolver.explain(address("gone@example.com"));

            assertThat(explanation.getDecisions()).singleElement()
                .satisfies(decision -> assertThat(decision.getRule()).isEqualTo(RouteRule.MAPPING_ERROR));
            assertThat(explanation.isUnknownEverywhere()).isFalse();
        }

        @Test
        void explainShouldLeaveAGroupMemberOfAnotherDomainToJamesRemoteDelivery() throws Exception {
            james.groupMember("mixed@example.com", "alice@example.com")
                .groupMember("mixed@example.com", "someone@elsewhere.org");

            assertThat(resolver.explain(address("mixed@example.com")).getDecisions())
                .extracting(RouteDecision::getAddress, RouteDecision::getRule)
                .containsExactlyInAnyOrder(
                    tuple(address("alice@example.com"), RouteRule.LOCAL_USER),
                    tuple(address("someone@elsewhere.org"), RouteRule.REMOTE_DOMAIN));
        }

        @Test
        void explainShouldRelayAnUnknownGroupMemberOfADomainThatForwardsUnknownAddresses() throws Exception {
            james.relays("other.com", true, OTHER_PARTNER)
                .groupMember("mixed@example.com", "alice@example.com")
                .groupMember("mixed@example.com", "ghost@other.com");

            RouteExplanation explanation = resolver.explain(address("mixed@example.com"));

            assertThat(explanation.getDecisions())
                .extracting(RouteDecision::getAddress, RouteDecision::getRoute, RouteDecision::getRule)
                .containsExactlyInAnyOrder(
                    tuple(address("alice@example.com"), Route.LOCAL, RouteRule.LOCAL_USER),
                    tuple(address("ghost@other.com"), Route.RELAY, RouteRule.FORWARD_UNKNOWN));
            assertThat(explanation.getDecisions())
                .filteredOn(RouteDecision::isRelay)
                .singleElement()
                .satisfies(decision -> assertThat(decision.getRelays()).containsExactly(OTHER_PARTNER));
        }

        @Test
        void explainShouldKeepAGroupMemberThatIsAnUnchosenAddressOfAThirdPartyUserLocal() throws Exception {
            james.relays("example.com", false, PARTNER)
                .thirdParty("dave@example.com", address("dave.partner@example.com"))
                .groupMember("devs@example.com", "dave@example.com");

            assertThat(resolver.explain(address("devs@example.com")).getDecisions()).singleElement().satisfies(decision -> {
                assertThat(decision.getAddress()).isEqualTo(address("dave@example.com"));
                assertThat(decision.getRule()).isEqualTo(RouteRule.LOCAL_USER);
            });
        }

        @Test
        void explainShouldKeepAMappedThirdPartyUserWithoutRelayHere() throws Exception {
            james.thirdParty("bob@example.com");

            RouteExplanation explanation = resolver.explain(address("team@example.com"));

            assertThat(explanation.getDecisions())
                .extracting(RouteDecision::getAddress, RouteDecision::getRoute, RouteDecision::getRule)
                .containsExactlyInAnyOrder(
                    tuple(address("alice@example.com"), Route.LOCAL, RouteRule.LOCAL_USER),
                    tuple(address("bob@example.com"), Route.LOCAL, RouteRule.THIRD_PARTY_WITHOUT_RELAY));
        }

        @Test
        void explainShouldFollowAForwardToAnotherDomain() throws Exception {
            james.recipientRewriteTable.addForwardMapping(MappingSource.fromUser("alice", "example.com"), "alice@elsewhere.org");

            assertThat(resolver.explain(address("alice@example.com")).getDecisions())
                .extracting(RouteDecision::getAddress, RouteDecision::getRoute)
                .containsExactly(tuple(address("alice@elsewhere.org"), Route.REMOTE));
        }

        @Test
        void explainShouldRelayUnknownAddressesOfADomainAliasWhenTheTargetDomainForwardsThem() throws Exception {
            james.domain("example.org");
            james.recipientRewriteTable.addDomainAliasMapping(MappingSource.fromDomain(Domain.of("example.org")), Domain.of("example.com"));
            james.relays("example.com", true, PARTNER);

            assertThat(resolver.explain(address("nobody@example.org")).getDecisions()).singleElement().satisfies(decision -> {
                assertThat(decision.getAddress()).isEqualTo(address("nobody@example.com"));
                assertThat(decision.getRule()).isEqualTo(RouteRule.FORWARD_UNKNOWN);
                assertThat(decision.getRelays()).containsExactly(PARTNER);
            });
        }

        @Test
        void explainShouldNotCallAnAddressUnknownWhenItsMappingsNameNoUsableAddress() throws Exception {
            // James's own recipient check accepts any address with mappings; a broken one is left to its rrt-error processor.
            james.recipientRewriteTable.addRegexMapping(MappingSource.fromUser("broken", "example.com"), "(.*)@example.com:not an address@example.com");

            assertThat(resolver.explain(address("broken@example.com")).isUnknownEverywhere()).isFalse();
        }

        @Test
        void explainShouldExplainAnUnknownLocalAddress() throws Exception {
            assertThat(resolver.explain(address("nobody@example.com")).getDecisions()).singleElement()
                .satisfies(decision -> assertThat(decision.getReason())
                    .isEqualTo("no user, alias or mapping for nobody@example.com and example.com does not forward unknown addresses"));
        }
    }

    @Test
    void relayRouteShouldPreferTheThirdPartyRuleOverForwardUnknown() throws Exception {
        james.relays("example.com", true, PARTNER).thirdParty("bob@example.com");

        assertThat(resolver.relayRoute(address("bob@example.com")))
            .hasValueSatisfying(decision -> assertThat(decision.getRule()).isEqualTo(RouteRule.THIRD_PARTY));
        assertThat(resolver.relayRoute(address("nobody@example.com")))
            .hasValueSatisfying(decision -> assertThat(decision.getRule()).isEqualTo(RouteRule.FORWARD_UNKNOWN));
        assertThat(resolver.relayRoute(address("alice@example.com"))).isEmpty();
    }

    @Test
    void relayRouteShouldBeEmptyForAnotherDomain() throws Exception {
        james.relays("example.com", true, PARTNER);

        assertThat(resolver.relayRoute(address("someone@elsewhere.org"))).isEmpty();
    }

    @Test
    void relayRouteShouldRelayAThirdPartyAliasWithTheRelaysOfTheUsersDomain() throws Exception {
        james.alias("bob@other.com", "bob@example.com")
            .relays("example.com", false, PARTNER)
            .thirdParty("bob@example.com");

        assertThat(resolver.relayRoute(address("bob@other.com")))
            .hasValueSatisfying(decision -> {
                assertThat(decision.getRule()).isEqualTo(RouteRule.THIRD_PARTY);
                assertThat(decision.getRelays()).containsExactly(PARTNER);
            });
    }

    /** The login guard's rule, as the README states it with its four examples. */
    @Nested
    class HostedElsewhere {
        @BeforeEach
        void relayExampleCom() {
            james.relays("example.com", false, PARTNER);
        }

        @Test
        void aUserWhoseEveryAddressIsForwardedShouldBeHostedElsewhere() {
            james.thirdParty("bob@example.com");

            assertThat(resolver.isHostedElsewhere(Username.of("bob@example.com"))).isTrue();
        }

        @Test
        void anExplicitListCoveringEveryAddressShouldBeHostedElsewhere() {
            james.thirdParty("bob@example.com", address("bob@example.com"), address("robert@example.com"));

            assertThat(resolver.isHostedElsewhere(Username.of("bob@example.com"))).isTrue();
        }

        @Test
        void aUserKeepingOneAddressHereShouldNotBeHostedElsewhere() {
            james.thirdParty("dave@example.com", address("dave.partner@example.com"));

            assertThat(resolver.isHostedElsewhere(Username.of("dave@example.com"))).isFalse();
        }

        @Test
        void aUserFlaggedWithoutAnyRelayShouldNotBeHostedElsewhereSinceItsMailLandsHere() {
            james.store.deleteDomainRouting(Domain.of("example.com"));
            james.thirdParty("bob@example.com");

            assertThat(resolver.isHostedElsewhere(Username.of("bob@example.com"))).isFalse();
        }

        @Test
        void aUserWithoutSettingsShouldNotBeHostedElsewhere() {
            assertThat(resolver.isHostedElsewhere(Username.of("alice@example.com"))).isFalse();
        }

        @Test
        void theOldNameOfARenamedUserShouldBeHostedElsewhereWhenItsMailFollowsTheNewName() throws Exception {
            // James's rename keeps the old account and forwards old to new; the settings moved to the new name.
            james.user("bobby@example.com");
            james.recipientRewriteTable.addForwardMapping(org.apache.james.rrt.lib.MappingSource.fromUser("bob", "example.com"),
                "bobby@example.com");
            james.thirdParty("bobby@example.com");

            assertThat(resolver.isHostedElsewhere(Username.of("bob@example.com"))).isTrue();
            assertThat(resolver.isHostedElsewhere(Username.of("bobby@example.com"))).isTrue();
        }

        @Test
        void aUserThatDoesNotExistShouldNotBeHostedElsewhere() {
            james.thirdParty("ghost@example.com");

            assertThat(resolver.isHostedElsewhere(Username.of("ghost@example.com"))).isFalse();
        }
    }

    @Nested
    class BackendFailures {
        @Test
        void thirdPartyRouteShouldNameTheAddressWhenTheUsersRepositoryFails() throws Exception {
            UsersRepository failingUsers = mock(UsersRepository.class);
            when(failingUsers.getUsername(any())).thenThrow(new UsersRepositoryException("database down"));
            RouteResolver failing = new RouteResolver(james.domainList, failingUsers, james.recipientRewriteTable, james.store);

            assertThatThrownBy(() -> failing.thirdPartyRoute(address("bob@example.com")))
                .isInstanceOf(RouteResolutionException.class)
                .hasMessage("Cannot find the owner of bob@example.com")
                .hasCauseInstanceOf(UsersRepositoryException.class);
        }

        @Test
        void unknownAddressRouteShouldNameTheDomainWhenTheDomainListFails() throws Exception {
            DomainList failingDomains = mock(DomainList.class);
            when(failingDomains.containsDomain(any())).thenThrow(new DomainListException("database down"));
            james.relays("example.com", true, PARTNER);
            RouteResolver failing = new RouteResolver(failingDomains, james.usersRepository, james.recipientRewriteTable, james.store);

            assertThatThrownBy(() -> failing.unknownAddressRoute(address("nobody@example.com")))
                .isInstanceOf(RouteResolutionException.class)
                .hasMessage("Cannot check domain example.com");
        }

        @Test
        void explainShouldNameTheAddressWhenTheRecipientRewriteTableFails() throws Exception {
            RecipientRewriteTable failingMappings = mock(RecipientRewriteTable.class);
            when(failingMappings.getStoredMappings(any())).thenReturn(MappingsImpl.empty());
            when(failingMappings.getResolvedMappings(any(), any(), any())).thenThrow(new RecipientRewriteTableException("database down"));
            RouteResolver failing = new RouteResolver(james.domainList, james.usersRepository, failingMappings, james.store);

            assertThatThrownBy(() -> failing.explain(address("alice@example.com")))
                .isInstanceOf(RouteResolutionException.class)
                .hasMessage("Cannot resolve the mappings of alice@example.com");
        }

        @Test
        void unknownAddressRouteShouldNameTheAddressWhenAMappingRewritesIntoAnInvalidAddress() throws Exception {
            RecipientRewriteTable brokenMappings = mock(RecipientRewriteTable.class);
            when(brokenMappings.getStoredMappings(any())).thenReturn(MappingsImpl.empty());
            when(brokenMappings.getResolvedMappings(any(), any(), any())).thenThrow(new IllegalArgumentException("Domain parts ASCII chars must be a-z A-Z 0-9 - or _"));
            james.relays("example.com", true, PARTNER);
            RouteResolver failing = new RouteResolver(james.domainList, james.usersRepository, brokenMappings, james.store);

            assertThatThrownBy(() -> failing.unknownAddressRoute(address("weird@example.com")))
                .isInstanceOf(RouteResolutionException.class)
                .hasMessage("Cannot resolve the mappings of weird@example.com")
                .hasCauseInstanceOf(IllegalArgumentException.class);
        }
    }
}
