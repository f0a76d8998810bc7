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

import javax.inject.Inject;

import org.apache.james.user.api.UsersRepository;

import com.google.common.annotations.VisibleForTesting;

/**
 * Refuses, at start-up, split-routing settings kept in memory on a James whose users outlive a restart: every
 * third-party flag would be gone after the first restart, and mail for moved users delivered here again, their logins
 * working again, with nothing to say so. Bound eagerly by {@link MemorySplitRoutingModule}, so that James stops while it
 * starts, with the line of {@code extensions.properties} to use instead.
 */
final class SettingsStoreMatchesUsers {
    // James's memory users repository (james-server-data-memory), the only one lost at a restart as our memory store is.
    @VisibleForTesting
    static final String MEMORY_USERS_REPOSITORY = "org.apache.james.user.memory.MemoryUsersRepository";

    @Inject
    SettingsStoreMatchesUsers(UsersRepository users) {
        check(users.getClass().getName());
    }

    @VisibleForTesting
    static void check(String usersRepositoryClass) {
        if (usersRepositoryClass.equals(MEMORY_USERS_REPOSITORY)) {
            return;
        }
        throw new IllegalStateException("Split-routing settings are kept in memory (extensions.properties: "
            + "guice.extension.module=" + MemorySplitRoutingModule.class.getName() + ") while James keeps its users in "
            + usersRepositoryClass + ", which survives a restart: every third-party flag would be lost at the next restart. "
            + "In extensions.properties, use " + storeLineFor(usersRepositoryClass));
    }

    private static String storeLineFor(String usersRepositoryClass) {
        String jpa = "guice.extension.module=org.splitdomain.guice.JpaSplitRoutingModule";
        String cassandra = "guice.extension.module=org.splitdomain.guice.CassandraSplitRoutingModule";
        if (usersRepositoryClass.contains("JPA")) {
            return "'" + jpa + "' (JPA server)";
        }
        if (usersRepositoryClass.contains("Cassandra") || usersRepositoryClass.equals("org.apache.james.user.lib.UsersRepositoryImpl")) {
            return "'" + cassandra + "' (distributed server)";
        }
        return "'" + jpa + "' on the JPA server or '" + cassandra + "' on the distributed server";
    }
}
