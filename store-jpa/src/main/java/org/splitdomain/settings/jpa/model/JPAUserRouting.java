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
package org.splitdomain.settings.jpa.model;

import java.util.ArrayList;
import java.util.List;

import javax.mail.internet.AddressException;
import javax.persistence.CollectionTable;
import javax.persistence.Column;
import javax.persistence.ElementCollection;
import javax.persistence.Entity;
import javax.persistence.FetchType;
import javax.persistence.Id;
import javax.persistence.JoinColumn;
import javax.persistence.OrderColumn;
import javax.persistence.Table;

import org.apache.james.core.MailAddress;
import org.splitdomain.settings.UserRouting;

import com.google.common.collect.ImmutableList;

/**
 * Split-routing settings of one user. No forwarded address row means every address of the user
 * (or none, for an internal user): {@link UserRouting} never holds an empty chosen subset.
 */
@Entity(name = "SplitDomainUserRouting")
@Table(name = "SPLIT_DOMAIN_USER_ROUTING")
public class JPAUserRouting {
    /** The lower-cased username, as James's users repositories compare them. */
    @Id
    @Column(name = "USER_NAME", nullable = false, length = 255)
    private String username;

    @Column(name = "THIRD_PARTY", nullable = false)
    private boolean thirdParty;

    // Ordered so that the administrator reads the chosen addresses back as they were given.
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "SPLIT_DOMAIN_FORWARDED_ADDRESS", joinColumns = @JoinColumn(name = "USER_NAME"))
    @OrderColumn(name = "ADDRESS_INDEX")
    @Column(name = "ADDRESS", nullable = false, length = 320)
    private List<String> forwardedAddresses;

    /** For JPA only. */
    protected JPAUserRouting() {
    }

    public JPAUserRouting(String username, UserRouting routing) {
        this.username = username;
        update(routing);
    }

    public void update(UserRouting routing) {
        this.thirdParty = routing.isThirdParty();
        this.forwardedAddresses = routing.getForwardedAddresses()
            .map(addresses -> addresses.stream()
                .map(MailAddress::asString)
                .collect(ArrayList<String>::new, ArrayList::add, ArrayList::addAll))
            .orElseGet(ArrayList::new);
    }

    public String getUsername() {
        return username;
    }

    public UserRouting toUserRouting() {
        if (!thirdParty) {
            return UserRouting.internal();
        }
        if (forwardedAddresses.isEmpty()) {
            return UserRouting.thirdPartyForAllAddresses();
        }
        return UserRouting.thirdParty(forwardedAddresses.stream()
            .map(JPAUserRouting::toMailAddress)
            .collect(ImmutableList.toImmutableList()));
    }

    private static MailAddress toMailAddress(String address) {
        try {
            return new MailAddress(address);
        } catch (AddressException e) {
            throw new IllegalStateException("Stored forwarded address '" + address + "' is not a valid mail address", e);
        }
    }
}
