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
package org.splitdomain.settings;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.splitdomain.route.JamesData;

import com.google.common.collect.ImmutableList;

class UserRoutingRenamerTest {
    private static final Username OLD = Username.of("old.name@example.com");
    private static final Username NEW = Username.of("new.name@example.com");

    private JamesData james;
    private UserRoutingRenamer renamer;

    @BeforeEach
    void setUp() throws Exception {
        james = new JamesData().domain("example.com").user(OLD.asString()).user(NEW.asString());
        renamer = new UserRoutingRenamer(james.store, james.usersRepository);
    }

    @Test
    void copyAheadShouldGiveTheNewNameTheOldNamesSettingsWithItsOwnAddressRespelt() throws Exception {
        james.store.storeUserRouting(OLD, UserRouting.thirdParty(ImmutableList.of(new MailAddress("old.name@example.com"),
            new MailAddress("nick@example.com"))));

        assertThat(renamer.copyAhead(OLD, NEW)).isTrue();

        assertThat(james.store.userRouting(NEW)).contains(UserRouting.thirdParty(ImmutableList.of(
            new MailAddress("new.name@example.com"), new MailAddress("nick@example.com"))));
        assertThat(james.store.userRouting(OLD)).isPresent();
    }

    @Test
    void copyAheadShouldLeaveTheNewNamesOwnSettingsAlone() throws Exception {
        james.store.storeUserRouting(OLD, UserRouting.thirdPartyForAllAddresses());
        james.store.storeUserRouting(NEW, UserRouting.internal());

        assertThat(renamer.copyAhead(OLD, NEW)).isFalse();

        assertThat(james.store.userRouting(NEW)).contains(UserRouting.internal());
    }

    @Test
    void copyAheadShouldDoNothingForAUserWithoutSettings() throws Exception {
        assertThat(renamer.copyAhead(OLD, NEW)).isFalse();

        assertThat(james.store.listUserRoutings()).isEmpty();
    }

    @Test
    void completeCopyShouldLeaveTheSettingsWithTheNewNameOnly() throws Exception {
        james.store.storeUserRouting(OLD, UserRouting.thirdPartyForAllAddresses());
        renamer.copyAhead(OLD, NEW);

        renamer.completeCopy(OLD, NEW);

        assertThat(james.store.listUserRoutings()).containsOnlyKeys(NEW);
    }

    @Test
    void dropCopyShouldLeaveTheSettingsWithTheOldNameOnly() throws Exception {
        james.store.storeUserRouting(OLD, UserRouting.thirdPartyForAllAddresses());
        renamer.copyAhead(OLD, NEW);

        renamer.dropCopy(OLD, NEW);

        assertThat(james.store.listUserRoutings()).containsOnlyKeys(OLD);
    }
}
