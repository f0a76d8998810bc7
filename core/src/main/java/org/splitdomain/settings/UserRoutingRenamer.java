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

import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.common.collect.ImmutableList;

/**
 * Moves a user's settings to its new name once James has renamed the user. James leaves a forward
 * from the old address to the new one, so mail to the old address is routed by the new user's
 * settings: they must be the ones the old user had.
 */
public class UserRoutingRenamer {
    private static final Logger LOGGER = LoggerFactory.getLogger(UserRoutingRenamer.class);

    private final SplitRoutingStore store;
    private final UsersRepository usersRepository;

    @Inject
    public UserRoutingRenamer(SplitRoutingStore store, UsersRepository usersRepository) {
        this.store = store;
        this.usersRepository = usersRepository;
    }

    /**
     * Gives the new name a copy of the old name's settings before James starts moving the user, so that
     * a user hosted elsewhere is hosted elsewhere under both names at every moment of the move. Returns
     * whether a copy was made: the new name had no settings of its own.
     */
    public boolean copyAhead(Username oldUsername, Username newUsername) throws UsersRepositoryException {
        Optional<UserRouting> moving = store.userRouting(oldUsername);
        if (moving.isEmpty() || store.userRouting(newUsername).isPresent()) {
            return false;
        }
        store.storeUserRouting(newUsername, renamed(moving.get(), usersRepository.getMailAddressFor(oldUsername),
            usersRepository.getMailAddressFor(newUsername)));
        LOGGER.info("User {} is being renamed to {}: {} gets the split-routing settings of {} for the move", oldUsername.asString(),
            newUsername.asString(), newUsername.asString(), oldUsername.asString());
        return true;
    }

    /** Undoes {@link #copyAhead} for a rename that did not happen: the settings stay with the old name only. */
    public void dropCopy(Username oldUsername, Username newUsername) {
        store.deleteUserRouting(newUsername);
        LOGGER.info("Rename of {} to {} did not happen: the split-routing settings stay with {}", oldUsername.asString(),
            newUsername.asString(), oldUsername.asString());
    }

    /** Ends a rename begun with {@link #copyAhead}: the new name keeps the copy, the old name's settings go. */
    public void completeCopy(Username oldUsername, Username newUsername) {
        store.deleteUserRouting(oldUsername);
        LOGGER.info("User {} renamed to {}: split-routing settings moved", oldUsername.asString(), newUsername.asString());
    }

    public void rename(Username oldUsername, Username newUsername) throws UsersRepositoryException {
        Optional<UserRouting> moving = store.userRouting(oldUsername);
        if (moving.isEmpty()) {
            return;
        }
        if (store.userRouting(newUsername).isPresent()) {
            // The administrator set the new user up on purpose: its own settings win.
            LOGGER.warn("User {} renamed to {}, which has split-routing settings of its own: they are kept and those of {} ({}) are dropped",
                oldUsername.asString(), newUsername.asString(), oldUsername.asString(), moving.get());
        } else {
            UserRouting renamed = renamed(moving.get(), usersRepository.getMailAddressFor(oldUsername), usersRepository.getMailAddressFor(newUsername));
            store.storeUserRouting(newUsername, renamed);
            LOGGER.info("User {} renamed to {}: split-routing settings moved ({})", oldUsername.asString(), newUsername.asString(), renamed);
        }
        store.deleteUserRouting(oldUsername);
    }

    // A chosen subset names the user's own address by its old spelling; aliases keep theirs.
    private static UserRouting renamed(UserRouting routing, MailAddress oldAddress, MailAddress newAddress) {
        return routing.getForwardedAddresses()
            .map(addresses -> UserRouting.thirdParty(addresses.stream()
                .map(address -> address.equals(oldAddress) ? newAddress : address)
                .collect(ImmutableList.toImmutableList())))
            .orElse(routing);
    }
}
