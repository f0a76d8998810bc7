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
