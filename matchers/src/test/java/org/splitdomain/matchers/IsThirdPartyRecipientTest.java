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

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.rrt.api.RecipientRewriteTable;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.splitdomain.route.JamesData;
import org.splitdomain.route.RecipientRules;
import org.splitdomain.route.RouteResolver;
import org.splitdomain.route.RouteRule;
import org.splitdomain.settings.UserRouting;

class IsThirdPartyRecipientTest {
    private JamesData james;
    private IsThirdPartyRecipient matcher;

    @BeforeEach
    void setUp() throws Exception {
        james = new JamesData()
            .domain("example.com")
            .user("alice@example.com")
            .user("bob@example.com")
            .user("dave@example.com")
            .alias("robert@example.com", "bob@example.com")
            .alias("dave.partner@example.com", "dave@example.com")
            .relays("example.com", true, PARTNER)
            .thirdParty("bob@example.com")
            .thirdParty("dave@example.com", new MailAddress("dave.partner@example.com"));
        matcher = new IsThirdPartyRecipient(james.routeResolver);
        matcher.init(FakeMatcherConfig.builder().matcherName("IsThirdPartyRecipient").build());
    }

    @Test
    void matchShouldReturnForwardedAddressesOfThirdPartyUsersOnly() throws Exception {
        FakeMail mail = FakeMail.builder()
            .name("mail1")
            .recipients("alice@example.com", "bob@example.com", "robert@example.com",
                "dave@example.com", "dave.partner@example.com", "nobody@example.com", "someone@elsewhere.org")
            .build();

        assertThat(matcher.match(mail)).containsExactlyInAnyOrder(
            new MailAddress("bob@example.com"), new MailAddress("robert@example.com"), new MailAddress("dave.partner@example.com"));
    }

    @Test
    void matchShouldRecordThirdPartyForAnAddressAsTheSenderWroteIt() throws Exception {
        FakeMail mail = FakeMail.builder().name("mail1").recipients("bob@example.com").build();

        matcher.match(mail);

        assertThat(RecipientRules.ruleOf(mail, new MailAddress("bob@example.com"))).contains(RouteRule.THIRD_PARTY);
    }

    @Test
    void matchShouldRecordThirdPartyAfterMappingForWhatAMappingReached() throws Exception {
        // team@ as the sender wrote it: no match before James's RecipientRewriteTable; bob@ after it.
        FakeMail mail = FakeMail.builder().name("mail1").recipients("team@example.com").build();
        assertThat(matcher.match(mail)).isEmpty();
        mail.setRecipients(java.util.List.of(new MailAddress("alice@example.com"), new MailAddress("bob@example.com")));

        assertThat(matcher.match(mail)).containsExactly(new MailAddress("bob@example.com"));

        assertThat(RecipientRules.ruleOf(mail, new MailAddress("bob@example.com"))).contains(RouteRule.THIRD_PARTY_AFTER_MAPPING);
        assertThat(RecipientRules.ruleOf(mail, new MailAddress("alice@example.com"))).isEmpty();
    }

    @Test
    void forgetShouldLetTheMailBeSeenAsWrittenAgain() throws Exception {
        FakeMail mail = FakeMail.builder().name("mail1").recipients("bob@example.com").build();
        matcher.match(mail);

        RecipientRules.forget(mail);
        matcher.match(mail);

        assertThat(RecipientRules.ruleOf(mail, new MailAddress("bob@example.com"))).contains(RouteRule.THIRD_PARTY);
    }

    @Test
    void matchShouldNotMatchAThirdPartyUserWhoseDomainHasNoRelay() throws Exception {
        james.store.deleteDomainRouting(JamesData.EXAMPLE_COM);

        assertThat(matcher.match(FakeMail.builder().name("mail1").recipients("bob@example.com").build())).isEmpty();
    }

    @Test
    void initShouldRejectACondition() {
        IsThirdPartyRecipient withCondition = new IsThirdPartyRecipient(james.routeResolver);

        assertThatThrownBy(() -> withCondition.init(FakeMatcherConfig.builder()
                .matcherName("IsThirdPartyRecipient")
                .condition("example.com")
                .build()))
            .isInstanceOf(MessagingException.class)
            .hasMessage("IsThirdPartyRecipient takes no condition, got 'example.com'");
    }

    @Test
    void matchShouldNameTheRecipientAndTheMailWhenABackendFails() throws Exception {
        UsersRepository failingUsers = mock(UsersRepository.class);
        when(failingUsers.getUsername(any())).thenThrow(new UsersRepositoryException("database down"));
        IsThirdPartyRecipient failing = new IsThirdPartyRecipient(
            new RouteResolver(james.domainList, failingUsers, mock(RecipientRewriteTable.class), james.store));
        failing.init(FakeMatcherConfig.builder().matcherName("IsThirdPartyRecipient").build());

        assertThatThrownBy(() -> failing.match(FakeMail.builder().name("mail42").recipients("bob@example.com").build()))
            .isInstanceOf(MessagingException.class)
            .hasMessage("IsThirdPartyRecipient could not route bob@example.com of mail mail42");
    }

    @Test
    void matchShouldLeaveAGroupToTheRecipientRewriteTable() throws Exception {
        // The group is expanded by James's RecipientRewriteTable mailet; the matcher, placed again
        // after it, then sees the third-party member's own address.
        james.groupMember("team@example.com", "alice@example.com")
            .groupMember("team@example.com", "bob@example.com");

        assertThat(matcher.match(FakeMail.builder().name("mail1").recipients("team@example.com").build())).isEmpty();
    }

    @Test
    void matchShouldFollowSettingsChangedAfterInit() throws Exception {
        james.store.storeUserRouting(Username.of("bob@example.com"), UserRouting.internal());

        assertThat(matcher.match(FakeMail.builder().name("mail1").recipients("bob@example.com", "robert@example.com").build()))
            .isEmpty();
    }

    @Test
    void matchShouldMatchAThirdPartyAddressWhateverItsCase() throws Exception {
        assertThat(matcher.match(FakeMail.builder().name("mail1").recipients("Bob@EXAMPLE.com").build()))
            .containsExactly(new MailAddress("Bob@EXAMPLE.com"));
    }

    @Test
    void matchShouldReturnNothingForAMailWithoutRecipients() throws Exception {
        assertThat(matcher.match(FakeMail.builder().name("mail1").build())).isEmpty();
    }

    @Test
    void initShouldAcceptABlankCondition() throws Exception {
        IsThirdPartyRecipient blank = new IsThirdPartyRecipient(james.routeResolver);

        blank.init(FakeMatcherConfig.builder().matcherName("IsThirdPartyRecipient").condition(" ").build());

        assertThat(blank.match(FakeMail.builder().name("mail1").recipients("bob@example.com").build()))
            .containsExactly(new MailAddress("bob@example.com"));
    }
}
