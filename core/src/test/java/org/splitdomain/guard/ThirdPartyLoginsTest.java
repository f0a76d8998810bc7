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
package org.splitdomain.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.RETURNS_MOCKS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import org.apache.james.core.Username;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.user.api.UsersRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.splitdomain.route.JamesData;
import org.splitdomain.route.RouteResolver;

/** What a refused login costs: the same password check as a wrong password, by James's own users repository. */
class ThirdPartyLoginsTest {
    private static final Username LOCAL = Username.of("alice@example.com");
    private static final Username ELSEWHERE = Username.of("bob@example.com");

    private UsersRepository usersRepository;
    private ThirdPartyLogins logins;

    @BeforeEach
    void setUp() throws Exception {
        JamesData james = new JamesData()
            .domain("example.com")
            .user(LOCAL.asString())
            .user(ELSEWHERE.asString())
            .relays("example.com", false, JamesData.PARTNER)
            .thirdParty(ELSEWHERE.asString());
        usersRepository = spy(james.usersRepository);
        logins = new ThirdPartyLogins(new RouteResolver(james.domainList, usersRepository, james.recipientRewriteTable, james.store),
            usersRepository, mock(MetricFactory.class, RETURNS_MOCKS));
    }

    @Test
    void refusesPasswordShouldCheckTheGivenPasswordOfARefusedUserAsJamesWouldForAWrongOne() throws Exception {
        assertThat(logins.refusesPassword("SMTP", ELSEWHERE, "any password")).isTrue();

        verify(usersRepository, times(1)).test(ELSEWHERE, "any password");
    }

    @Test
    void refusesPasswordShouldRefuseEvenTheRightPassword() throws Exception {
        assertThat(logins.refusesPassword("IMAP", ELSEWHERE, "secret")).isTrue();
    }

    @Test
    void refusesPasswordShouldLeaveAUserHostedHereToJamesWithoutCheckingAnything() throws Exception {
        assertThat(logins.refusesPassword("POP3", LOCAL, "wrong")).isFalse();

        verify(usersRepository, times(0)).test(LOCAL, "wrong");
    }
}
