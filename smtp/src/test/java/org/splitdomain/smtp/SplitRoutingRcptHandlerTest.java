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
package org.splitdomain.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.splitdomain.route.JamesData.PARTNER;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.rrt.api.RecipientRewriteTable;
import org.apache.james.rrt.api.RecipientRewriteTableException;
import org.apache.james.rrt.lib.MappingSource;
import org.apache.james.rrt.lib.MappingsImpl;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.splitdomain.route.JamesData;
import org.splitdomain.mailets.verify.RecipientVerifier;
import org.splitdomain.mailets.verify.Verdict;
import org.splitdomain.route.RouteResolver;
import org.splitdomain.settings.DomainRouting;

import com.google.common.collect.ImmutableList;

class SplitRoutingRcptHandlerTest {
    private static final MaybeSender SENDER = MaybeSender.getMailSender("sender@external.org");
    private static final InetAddress PARTNER_ADDRESS = address(127, 0, 0, 2);
    private static final InetAddress CLIENT_ADDRESS = address(127, 0, 0, 1);

    private static InetAddress address(int... bytes) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) bytes[0], (byte) bytes[1], (byte) bytes[2], (byte) bytes[3]});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private JamesData james;
    private SplitRoutingRcptHandler handler;
    private SMTPSession session;
    private RecipientVerifier verifier;
    private DNSService dnsService;

    @BeforeEach
    void setUp() throws Exception {
        verifier = mock(RecipientVerifier.class);
        when(verifier.verify(any(), any(), any())).thenReturn(Verdict.accepted(PARTNER, "250 2.1.5 Ok"));
        dnsService = mock(DNSService.class);
        when(dnsService.getAllByName(PARTNER.getHost())).thenReturn(ImmutableList.of(PARTNER_ADDRESS));
        james = new JamesData()
            .domain("example.com")
            .domain("open.com")
            .user("alice@example.com")
            .user("bob@example.com")
            .relays("example.com", false, PARTNER)
            .relays("open.com", true, PARTNER)
            .thirdParty("bob@example.com");
        handler = handler(james.routeResolver);
        session = mock(SMTPSession.class);
        when(session.getRemoteAddress()).thenReturn(new InetSocketAddress(CLIENT_ADDRESS, 40000));
    }

    private SplitRoutingRcptHandler handler(RouteResolver routeResolver) throws Exception {
        return new SplitRoutingRcptHandler(routeResolver, james.store, verifier, dnsService);
    }

    private HookResult rcpt(String recipient) throws Exception {
        return handler.doRcpt(session, SENDER, new MailAddress(recipient));
    }

    @Test
    void doRcptShouldRejectAnUnknownAddressOfADomainThatDoesNotForwardUnknownAddresses() throws Exception {
        HookResult result = rcpt("nobody@example.com");

        assertThat(result.getResult()).isEqualTo(HookReturnCode.deny());
        assertThat(result.getSmtpRetCode()).isEqualTo("550");
        assertThat(result.getSmtpDescription()).isEqualTo("5.1.1 Unknown user: nobody@example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"a@b\"@example.com", "\"a@b\"@open.com"})
    void doRcptShouldRefuseForGoodALocalPartJamesCannotTurnIntoAUserName(String recipient) throws Exception {
        HookResult result = rcpt(recipient);

        assertThat(result.getResult()).isEqualTo(HookReturnCode.deny());
        assertThat(result.getSmtpRetCode()).isEqualTo("553");
        assertThat(result.getSmtpDescription()).isEqualTo("5.1.3 <" + recipient + ">: this server has no mailbox of that form");
    }

    @Test
    void doRcptShouldLeaveSuchALocalPartOfAnotherDomainToJamesRelayCheck() throws Exception {
        assertThat(rcpt("\"a@b\"@elsewhere.org").getResult()).isEqualTo(HookReturnCode.declined());
    }

    @Test
    void doRcptShouldAcceptAnUnknownAddressOfADomainThatForwardsUnknownAddresses() throws Exception {
        assertThat(rcpt("nobody@open.com")).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void doRcptShouldAskTheRelayAboutAnUnknownAddressOfAForwardingDomain() throws Exception {
        rcpt("nobody@open.com");

        verify(verifier).verify(new MailAddress("nobody@open.com"), ImmutableList.of(PARTNER), CLIENT_ADDRESS);
    }

    @Test
    void doRcptShouldRefuseWhatTheRelayRefusesNamingNeitherTheRelayNorItsAnswer() throws Exception {
        when(verifier.verify(any(), any(), any())).thenReturn(Verdict.refused(PARTNER, "550 5.1.1 <nobody@open.com>: Recipient address rejected"));

        HookResult result = rcpt("nobody@open.com");

        assertThat(result.getResult()).isEqualTo(HookReturnCode.deny());
        assertThat(result.getSmtpRetCode()).isEqualTo("550");
        assertThat(result.getSmtpDescription()).isEqualTo("5.1.1 <nobody@open.com>: no such recipient");
    }

    @Test
    void doRcptShouldAnswerATemporaryRefusalWhenNoRelayGivesAFinalAnswer() throws Exception {
        when(verifier.verify(any(), any(), any())).thenReturn(Verdict.unavailable("relay partner.example.net:2525: Connection refused"));

        HookResult result = rcpt("nobody@open.com");

        assertThat(result.getResult()).isEqualTo(HookReturnCode.denySoft());
        assertThat(result.getSmtpRetCode()).isEqualTo("450");
        assertThat(result.getSmtpDescription()).isEqualTo("4.4.1 <nobody@open.com>: cannot be verified now, try again later");
    }

    @Test
    void doRcptShouldSayVerificationIsInProgressWhenTheProbeOutlivesTheBudget() throws Exception {
        when(verifier.verify(any(), any(), any())).thenReturn(Verdict.pending("no answer within 1s (rcpt.budget)"));

        HookResult result = rcpt("nobody@open.com");

        assertThat(result.getResult()).isEqualTo(HookReturnCode.denySoft());
        assertThat(result.getSmtpRetCode()).isEqualTo("450");
        assertThat(result.getSmtpDescription()).isEqualTo("4.1.1 <nobody@open.com>: recipient verification in progress, try again later");
    }

    @Test
    void doRcptShouldAnswerAClientOverItsBudgetWith471() throws Exception {
        when(verifier.verify(any(), any(), any())).thenReturn(Verdict.throttled("client 127.0.0.1 has used its budget"));

        HookResult result = rcpt("nobody@open.com");

        assertThat(result.getResult()).isEqualTo(HookReturnCode.denySoft());
        assertThat(result.getSmtpRetCode()).isEqualTo("450");
        assertThat(result.getSmtpDescription()).isEqualTo("4.7.1 <nobody@open.com>: too many recipients to verify from your address, "
            + "try again later");
    }

    @Test
    void doRcptShouldAcceptPostmasterOfEveryLocalDomainWithoutAskingAnyone() throws Exception {
        assertThat(rcpt("postmaster@example.com")).isEqualTo(HookResult.DECLINED);
        assertThat(rcpt("PostMaster@open.com")).isEqualTo(HookResult.DECLINED);
        verifyNoInteractions(verifier);
    }

    @Test
    void doRcptShouldNotAskTheRelayAboutAThirdPartyUserWhenTheDomainDoesNotVerify() throws Exception {
        assertThat(rcpt("bob@example.com")).isEqualTo(HookResult.DECLINED);
        verifyNoInteractions(verifier);
    }

    @Test
    void doRcptShouldAskTheRelayAboutAThirdPartyUserWhenTheDomainVerifies() throws Exception {
        james.store.storeDomainRouting(Domain.of("example.com"), DomainRouting.of(ImmutableList.of(PARTNER), false, true));
        when(verifier.verify(any(), any(), any())).thenReturn(Verdict.refused(PARTNER, "550 5.1.1 <bob@example.com>: no such user here"));

        HookResult result = rcpt("bob@example.com");

        assertThat(result.getSmtpRetCode()).isEqualTo("550");
        verify(verifier).verify(new MailAddress("bob@example.com"), ImmutableList.of(PARTNER), CLIENT_ADDRESS);
    }

    @Test
    void doRcptShouldNotAskTheRelayAboutAnAliasOfAThirdPartyUserThatIsRewritten() throws Exception {
        james.store.storeDomainRouting(Domain.of("example.com"), DomainRouting.of(ImmutableList.of(PARTNER), false, true));
        james.user("dora@example.com").alias("dorothy@example.com", "dora@example.com")
            .thirdParty("dora@example.com", new MailAddress("dora@example.com"));

        assertThat(rcpt("dorothy@example.com")).isEqualTo(HookResult.DECLINED);
        verifyNoInteractions(verifier);
    }

    @Test
    void doRcptShouldRefuseAProbeFromTheRelayForAThirdPartyUserItWouldRelayBackThere() throws Exception {
        when(session.getRemoteAddress()).thenReturn(new InetSocketAddress(PARTNER_ADDRESS, 40000));

        HookResult result = handler.doRcpt(session, MaybeSender.nullSender(), new MailAddress("bob@example.com"));

        assertThat(result.getSmtpRetCode()).isEqualTo("550");
        assertThat(result.getSmtpDescription()).isEqualTo("5.1.1 <bob@example.com>: no such user here");
        verifyNoInteractions(verifier);
    }

    @Test
    void doRcptShouldAnswerAProbeFromTheRelayEvenWhenTheDomainDoesNotVerify() throws Exception {
        james.store.storeDomainRouting(Domain.of("open.com"), DomainRouting.of(ImmutableList.of(PARTNER), true, false));
        when(session.getRemoteAddress()).thenReturn(new InetSocketAddress(PARTNER_ADDRESS, 40000));

        HookResult result = handler.doRcpt(session, MaybeSender.nullSender(), new MailAddress("nobody@open.com"));

        assertThat(result.getSmtpRetCode()).isEqualTo("550");
    }

    @Test
    void doRcptShouldAcceptAProbeFromTheRelayForALocalUser() throws Exception {
        when(session.getRemoteAddress()).thenReturn(new InetSocketAddress(PARTNER_ADDRESS, 40000));

        assertThat(handler.doRcpt(session, MaybeSender.nullSender(), new MailAddress("alice@example.com"))).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void doRcptShouldNotAskTheRelayWhenTheDomainDoesNotVerifyRecipients() throws Exception {
        james.store.storeDomainRouting(Domain.of("open.com"), DomainRouting.of(ImmutableList.of(PARTNER), true, false));

        assertThat(rcpt("nobody@open.com")).isEqualTo(HookResult.DECLINED);
        verifyNoInteractions(verifier);
    }

    @Test
    void doRcptShouldAnswerAProbeFromARelayOfTheDomainWithoutAskingBack() throws Exception {
        when(session.getRemoteAddress()).thenReturn(new InetSocketAddress(PARTNER_ADDRESS, 40000));

        HookResult result = handler.doRcpt(session, MaybeSender.nullSender(), new MailAddress("nobody@open.com"));

        assertThat(result.getResult()).isEqualTo(HookReturnCode.deny());
        assertThat(result.getSmtpRetCode()).isEqualTo("550");
        assertThat(result.getSmtpDescription()).isEqualTo("5.1.1 <nobody@open.com>: no such user here");
        verifyNoInteractions(verifier);
    }

    @Test
    void doRcptShouldAskTheRelayForMailFromTheRelayAddressThatIsNoProbe() throws Exception {
        when(session.getRemoteAddress()).thenReturn(new InetSocketAddress(PARTNER_ADDRESS, 40000));

        assertThat(rcpt("nobody@open.com")).isEqualTo(HookResult.DECLINED);
        verify(verifier).verify(any(), any(), any());
    }

    @Test
    void doRcptShouldAskTheRelayForABounceFromAnotherClient() throws Exception {
        assertThat(handler.doRcpt(session, MaybeSender.nullSender(), new MailAddress("nobody@open.com"))).isEqualTo(HookResult.DECLINED);
        verify(verifier).verify(any(), any(), any());
    }

    @Test
    void doRcptShouldNotAskTheRelayAboutKnownAddresses() throws Exception {
        james.user("carol@open.com").alias("team@open.com", "carol@open.com");

        assertThat(rcpt("carol@open.com")).isEqualTo(HookResult.DECLINED);
        assertThat(rcpt("team@open.com")).isEqualTo(HookResult.DECLINED);
        verifyNoInteractions(verifier);
    }

    @Test
    void doRcptShouldAcceptLocalAndThirdPartyUsers() throws Exception {
        assertThat(rcpt("alice@example.com")).isEqualTo(HookResult.DECLINED);
        assertThat(rcpt("bob@example.com")).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void doRcptShouldLeaveOtherDomainsToJamesRelayCheck() throws Exception {
        assertThat(rcpt("someone@elsewhere.org")).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void doRcptShouldAnswerATemporaryErrorWhenABackendFails() throws Exception {
        UsersRepository failingUsers = mock(UsersRepository.class);
        when(failingUsers.getUsername(any())).thenThrow(new UsersRepositoryException("database down"));
        SplitRoutingRcptHandler failing = handler(
            new RouteResolver(james.domainList, failingUsers, mock(RecipientRewriteTable.class), james.store));

        HookResult result = failing.doRcpt(session, SENDER, new MailAddress("alice@example.com"));

        assertThat(result.getResult()).isEqualTo(HookReturnCode.denySoft());
        assertThat(result.getSmtpRetCode()).isEqualTo("451");
    }
    @Test
    void doRcptShouldRejectAnUnknownAddressWhateverItsCase() throws Exception {
        HookResult result = rcpt("NOBODY@Example.COM");

        assertThat(result.getResult()).isEqualTo(HookReturnCode.deny());
        assertThat(result.getSmtpRetCode()).isEqualTo("550");
        assertThat(result.getSmtpDescription()).startsWith("5.1.1");
    }

    @Test
    void doRcptShouldRejectAnUnknownAddressOfALocalDomainWithoutSplitSettings() throws Exception {
        james.domain("plain.com");

        HookResult result = rcpt("nobody@plain.com");

        assertThat(result.getResult()).isEqualTo(HookReturnCode.deny());
        assertThat(result.getSmtpRetCode()).isEqualTo("550");
        assertThat(result.getSmtpDescription()).startsWith("5.1.1");
    }

    @Test
    void doRcptShouldRejectAgainOnceForwardUnknownIsTurnedOff() throws Exception {
        james.relays("open.com", false, PARTNER);

        assertThat(rcpt("nobody@open.com").getSmtpRetCode()).isEqualTo("550");
    }

    @Test
    void doRcptShouldAcceptAliasesAndGroups() throws Exception {
        james.alias("al@example.com", "alice@example.com")
            .groupMember("team@example.com", "alice@example.com")
            .groupMember("team@example.com", "bob@example.com");

        assertThat(rcpt("al@example.com")).isEqualTo(HookResult.DECLINED);
        assertThat(rcpt("team@example.com")).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void doRcptShouldAcceptAGroupWhoseThirdPartyMemberIsRelayed() throws Exception {
        james.groupMember("partners@example.com", "bob@example.com");

        assertThat(rcpt("partners@example.com")).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void doRcptShouldLeaveErrorMappingsToJamesRecipientRewriteTable() throws Exception {
        james.recipientRewriteTable.addErrorMapping(MappingSource.fromUser("gone", "example.com"), "550 gone for good");

        assertThat(rcpt("gone@example.com")).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void doRcptShouldAcceptAThirdPartyUserWhoseDomainHasNoRelay() throws Exception {
        james.domain("norelay.com").user("carol@norelay.com").thirdParty("carol@norelay.com");

        assertThat(rcpt("carol@norelay.com")).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void doRcptShouldAnswerATemporaryErrorNamingTheRecipientWhenTheDomainListFails() throws Exception {
        DomainList failingDomains = mock(DomainList.class);
        when(failingDomains.containsDomain(any())).thenThrow(new DomainListException("database down"));
        SplitRoutingRcptHandler failing = handler(new RouteResolver(failingDomains, james.usersRepository, james.recipientRewriteTable, james.store));

        HookResult result = failing.doRcpt(session, SENDER, new MailAddress("nobody@example.com"));

        assertThat(result.getResult()).isEqualTo(HookReturnCode.denySoft());
        assertThat(result.getSmtpRetCode()).isEqualTo("451");
        assertThat(result.getSmtpDescription()).isEqualTo("4.0.0 Unexpected error for nobody@example.com");
    }

    @Test
    void doRcptShouldAnswerATemporaryErrorWhenTheMappingsCannotBeRead() throws Exception {
        RecipientRewriteTable failingMappings = mock(RecipientRewriteTable.class);
        when(failingMappings.getStoredMappings(any())).thenReturn(MappingsImpl.empty());
        when(failingMappings.getResolvedMappings(any(), any(), any())).thenThrow(new RecipientRewriteTableException("database down"));
        SplitRoutingRcptHandler failing = handler(
            new RouteResolver(james.domainList, james.usersRepository, failingMappings, james.store));

        HookResult result = failing.doRcpt(session, SENDER, new MailAddress("nobody@example.com"));

        assertThat(result.getResult()).isEqualTo(HookReturnCode.denySoft());
        assertThat(result.getSmtpRetCode()).isEqualTo("451");
    }

    @Test
    void doRcptShouldAcceptAnAddressWithMappingsAsJamesOwnCheckDoes() throws Exception {
        james.recipientRewriteTable.addRegexMapping(MappingSource.fromUser("broken", "example.com"),
            "(.*)@example.com:not an address@example.com");

        assertThat(rcpt("broken@example.com")).isEqualTo(HookResult.DECLINED);
    }
}
