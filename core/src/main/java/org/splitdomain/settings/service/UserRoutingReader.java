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
package org.splitdomain.settings.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.rrt.api.RecipientRewriteTableException;
import org.apache.james.user.api.UsersRepositoryException;
import org.splitdomain.route.UserAddresses;
import org.splitdomain.settings.UserRouting;

import com.google.common.collect.ImmutableList;

/**
 * Turns a requested user setting into {@link UserRouting}, checking that every chosen address is
 * one of the user's. One reading for a single write and for the import.
 */
final class UserRoutingReader {
    private final UserAddresses userAddresses;

    UserRoutingReader(UserAddresses userAddresses) {
        this.userAddresses = userAddresses;
    }

    /** @throws IllegalArgumentException naming the problem */
    UserRouting read(Username username, RequestedUserRouting routing) throws UsersRepositoryException, RecipientRewriteTableException {
        boolean thirdParty = routing.getThirdParty()
            .orElseThrow(() -> new IllegalArgumentException("'thirdParty' is mandatory (true or false)"));
        if (!thirdParty) {
            if (routing.getForwardedAddresses().isPresent()) {
                throw new IllegalArgumentException("'forwardedAddresses' only applies when 'thirdParty' is true");
            }
            return UserRouting.internal();
        }
        if (routing.getForwardedAddresses().isEmpty()) {
            return UserRouting.thirdPartyForAllAddresses();
        }
        List<String> requested = routing.getForwardedAddresses().get();
        if (requested.isEmpty()) {
            throw new IllegalArgumentException("'forwardedAddresses' must not be empty: omit it to forward all of the user's addresses");
        }
        Set<MailAddress> owned = userAddresses.of(username);
        List<MailAddress> forwarded = new ArrayList<>();
        for (String value : requested) {
            MailAddress requestedAddress = parseAddress(value);
            // Stored as James spells the address, whatever case the request used.
            MailAddress address = owned.stream()
                .filter(own -> own.asString().equalsIgnoreCase(requestedAddress.asString()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'forwardedAddresses': '" + value + "' is not an address of user " + username.asString()
                    + " (its addresses: " + owned.stream().map(MailAddress::asString).sorted().collect(ImmutableList.toImmutableList()) + ")"));
            if (forwarded.contains(address)) {
                throw new IllegalArgumentException("'forwardedAddresses' lists '" + value + "' twice");
            }
            forwarded.add(address);
        }
        return UserRouting.thirdParty(forwarded);
    }

    private static MailAddress parseAddress(String value) {
        if (value == null) {
            throw new IllegalArgumentException("'forwardedAddresses' must not contain null");
        }
        try {
            return new MailAddress(value);
        } catch (AddressException e) {
            throw new IllegalArgumentException("'forwardedAddresses': '" + value + "' is not a valid mail address", e);
        }
    }
}
