package org.splitdomain.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitdomain.route.JamesData.PARTNER;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.rrt.lib.MappingSource;
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
        void thirdPartyRouteShouldBeEmptyForSettingsOfADeletedUser() throws Exception {
            james.relays("example.com", false, PARTNER).thirdParty("bob@example.com");
            james.usersRepository.removeUser(Username.of("bob@example.com"));

            assertThat(resolver.thirdPartyRoute(address("bob@example.com"))).isEmpty();
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
}
