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
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JamesDirectoryTest {
    private JamesData james;
    private JamesDirectory directory;

    @BeforeEach
    void setUp() throws Exception {
        james = new JamesData()
            .domain("example.com")
            .user("bob@example.com")
            .alias("robert@example.com", "bob@example.com");
        directory = new JamesDirectory(james.domainList, james.usersRepository);
    }

    @Test
    void isManagedDomainShouldAnswerWhatTheDomainListHolds() {
        assertThat(directory.isManagedDomain(Domain.of("example.com"))).isTrue();
        assertThat(directory.isManagedDomain(Domain.of("EXAMPLE.com"))).isTrue();
        assertThat(directory.isManagedDomain(Domain.of("other.com"))).isFalse();
    }

    @Test
    void isExistingUserShouldAnswerWhatTheUsersRepositoryHoldsNotItsAliases() {
        assertThat(directory.isExistingUser(Username.of("bob@example.com"))).isTrue();
        assertThat(directory.isExistingUser(Username.of("robert@example.com"))).isFalse();
        assertThat(directory.isExistingUser(Username.of("carol@example.com"))).isFalse();
    }

    @Test
    void isManagedDomainShouldNameTheDomainWhenTheDomainListFails() throws Exception {
        DomainList failing = mock(DomainList.class);
        when(failing.containsDomain(any())).thenThrow(new DomainListException("database down"));

        assertThatThrownBy(() -> new JamesDirectory(failing, james.usersRepository).isManagedDomain(Domain.of("example.com")))
            .isInstanceOf(RouteResolutionException.class)
            .hasMessage("Cannot check domain example.com")
            .hasCauseInstanceOf(DomainListException.class);
    }

    @Test
    void isExistingUserShouldNameTheUserWhenTheUsersRepositoryFails() throws Exception {
        UsersRepository failing = mock(UsersRepository.class);
        when(failing.contains(any())).thenThrow(new UsersRepositoryException("database down"));

        assertThatThrownBy(() -> new JamesDirectory(james.domainList, failing).isExistingUser(Username.of("bob@example.com")))
            .isInstanceOf(RouteResolutionException.class)
            .hasMessage("Cannot check user bob@example.com")
            .hasCauseInstanceOf(UsersRepositoryException.class);
    }
}
