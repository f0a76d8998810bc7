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
package org.splitdomain.matchers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.splitdomain.route.JamesData.PARTNER;

import javax.mail.MessagingException;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.rrt.lib.MappingSource;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.splitdomain.route.JamesData;
import org.splitdomain.route.RouteResolver;

class IsUnknownLocalRecipientTest {
    private JamesData james;
    private IsUnknownLocalRecipient matcher;

    @BeforeEach
    void setUp() throws Exception {
        james = new JamesData()
            .domain("example.com")
            .domain("closed.com")
            .user("alice@example.com")
            .alias("al@example.com", "alice@example.com")
            .groupMember("team@example.com", "alice@example.com")
            .relays("example.com", true, PARTNER)
            .relays("closed.com", false, PARTNER);
        matcher = new IsUnknownLocalRecipient(james.routeResolver);
        matcher.init(FakeMatcherConfig.builder().matcherName("IsUnknownLocalRecipient").build());
    }

    @Test
    void matchShouldReturnUnknownRecipientsOfDomainsThatForwardThem() throws Exception {
        FakeMail mail = FakeMail.builder()
            .name("mail1")
            .recipients("alice@example.com", "al@example.com", "team@example.com", "nobody@example.com",
                "nobody@closed.com", "someone@elsewhere.org")
            .build();

        assertThat(matcher.match(mail)).containsExactly(new MailAddress("nobody@example.com"));
    }

    @Test
    void matchShouldStopMatchingOnceForwardUnknownIsTurnedOff() throws Exception {
        james.relays("example.com", false, PARTNER);

        assertThat(matcher.match(FakeMail.builder().name("mail1").recipients("nobody@example.com").build())).isEmpty();
    }

    @Test
    void matchShouldNotMatchAnAddressWithAnErrorMapping() throws Exception {
        james.recipientRewriteTable.addErrorMapping(MappingSource.fromUser("gone", "example.com"), "550 gone for good");

        assertThat(matcher.match(FakeMail.builder().name("mail1").recipients("gone@example.com").build())).isEmpty();
    }

    @Test
    void matchShouldNotMatchAThirdPartyUser() throws Exception {
        james.user("bob@example.com").thirdParty("bob@example.com");

        assertThat(matcher.match(FakeMail.builder().name("mail1").recipients("bob@example.com").build())).isEmpty();
    }

    @Test
    void matchShouldNotMatchADomainThatIsNoLongerLocal() throws Exception {
        james.domainList.removeDomain(Domain.of("example.com"));

        assertThat(matcher.match(FakeMail.builder().name("mail1").recipients("nobody@example.com").build())).isEmpty();
    }

    @Test
    void matchShouldKeepEveryUnknownRecipientOfTheMail() throws Exception {
        FakeMail mail = FakeMail.builder()
            .name("mail1")
            .recipients("ghost1@example.com", "alice@example.com", "ghost2@example.com")
            .build();

        assertThat(matcher.match(mail))
            .containsExactly(new MailAddress("ghost1@example.com"), new MailAddress("ghost2@example.com"));
    }

    @Test
    void initShouldRejectACondition() {
        IsUnknownLocalRecipient withCondition = new IsUnknownLocalRecipient(james.routeResolver);

        assertThatThrownBy(() -> withCondition.init(FakeMatcherConfig.builder()
                .matcherName("IsUnknownLocalRecipient")
                .condition("true")
                .build()))
            .isInstanceOf(MessagingException.class)
            .hasMessage("IsUnknownLocalRecipient takes no condition, got 'true'");
    }

    @Test
    void matchShouldNameTheRecipientAndTheMailWhenABackendFails() throws Exception {
        UsersRepository failingUsers = mock(UsersRepository.class);
        when(failingUsers.getUsername(any())).thenThrow(new UsersRepositoryException("database down"));
        IsUnknownLocalRecipient failing = new IsUnknownLocalRecipient(
            new RouteResolver(james.domainList, failingUsers, james.recipientRewriteTable, james.store));
        failing.init(FakeMatcherConfig.builder().matcherName("IsUnknownLocalRecipient").build());

        assertThatThrownBy(() -> failing.match(FakeMail.builder().name("mail42").recipients("nobody@example.com").build()))
            .isInstanceOf(MessagingException.class)
            .hasMessage("IsUnknownLocalRecipient could not route nobody@example.com of mail mail42")
            .hasRootCauseInstanceOf(UsersRepositoryException.class);
    }
}
