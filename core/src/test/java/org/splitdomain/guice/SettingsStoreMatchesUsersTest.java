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
package org.splitdomain.guice;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.james.domainlist.api.DomainList;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.memory.MemoryUsersRepository;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

import com.google.inject.CreationException;
import com.google.inject.Guice;

class SettingsStoreMatchesUsersTest {
    @Test
    void memoryUsersShouldBeAccepted() {
        assertThatCode(() -> SettingsStoreMatchesUsers.check(SettingsStoreMatchesUsers.MEMORY_USERS_REPOSITORY)).doesNotThrowAnyException();
    }

    @Test
    void jpaUsersShouldBeRefusedWithTheJpaStoreLine() {
        assertThatThrownBy(() -> SettingsStoreMatchesUsers.check("org.apache.james.user.jpa.JPAUsersRepository"))
            .hasMessageContaining("extensions.properties")
            .hasMessageContaining("guice.extension.module=org.splitdomain.guice.MemorySplitRoutingModule")
            .hasMessageContaining("use 'guice.extension.module=org.splitdomain.guice.JpaSplitRoutingModule' (JPA server)")
            .hasMessageContaining("org.apache.james.user.jpa.JPAUsersRepository");
    }

    @Test
    void distributedUsersShouldBeRefusedWithTheCassandraStoreLine() {
        assertThatThrownBy(() -> SettingsStoreMatchesUsers.check("org.apache.james.user.lib.UsersRepositoryImpl"))
            .hasMessageContaining("use 'guice.extension.module=org.splitdomain.guice.CassandraSplitRoutingModule' (distributed server)");
    }

    @Test
    void ldapUsersShouldBeRefusedWithBothLines() {
        assertThatThrownBy(() -> SettingsStoreMatchesUsers.check("org.apache.james.user.ldap.ReadOnlyUsersLDAPRepository"))
            .hasMessageContaining("'guice.extension.module=org.splitdomain.guice.JpaSplitRoutingModule' on the JPA server")
            .hasMessageContaining("'guice.extension.module=org.splitdomain.guice.CassandraSplitRoutingModule' on the distributed server");
    }

    @Test
    void theModuleShouldStopTheInjectorOnPersistentUsers() {
        UsersRepository persistentUsers = Mockito.mock(UsersRepository.class);

        assertThatThrownBy(() -> Guice.createInjector(new MemorySplitRoutingModule(), binder -> {
            binder.bind(UsersRepository.class).toInstance(persistentUsers);
            binder.bind(DomainList.class).toInstance(Mockito.mock(DomainList.class));
        }))
            .isInstanceOf(CreationException.class)
            .hasMessageContaining("Split-routing settings are kept in memory");
    }

    @Test
    void theModuleShouldStartOnMemoryUsers() {
        assertThatCode(() -> Guice.createInjector(new MemorySplitRoutingModule(), binder -> {
            // A provider, so that Guice does not inject the members James's own module would.
            UsersRepository memoryUsers = MemoryUsersRepository.withVirtualHosting(Mockito.mock(DomainList.class));
            binder.bind(UsersRepository.class).toProvider(() -> memoryUsers);
            binder.bind(DomainList.class).toInstance(Mockito.mock(DomainList.class));
        })).doesNotThrowAnyException();
    }
}
