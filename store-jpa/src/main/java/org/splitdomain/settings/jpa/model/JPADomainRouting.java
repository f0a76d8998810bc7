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

import javax.persistence.CollectionTable;
import javax.persistence.Column;
import javax.persistence.ElementCollection;
import javax.persistence.Entity;
import javax.persistence.FetchType;
import javax.persistence.Id;
import javax.persistence.JoinColumn;
import javax.persistence.OrderColumn;
import javax.persistence.Table;

import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayHost;

import com.google.common.collect.ImmutableList;

/** Split-routing settings of one domain; its relays live in their own table, in the order they are tried. */
@Entity(name = "SplitDomainDomainRouting")
@Table(name = "SPLIT_DOMAIN_DOMAIN_ROUTING")
public class JPADomainRouting {
    /** {@code Domain.asString()}: already lower case, so a domain is one row whatever the case it was given in. */
    @Id
    @Column(name = "DOMAIN_NAME", nullable = false, length = 255)
    private String domain;

    @Column(name = "FORWARD_UNKNOWN", nullable = false)
    private boolean forwardUnknown;

    /** Null in rows written before recipient verification existed: they get its default, on when unknown addresses are forwarded. */
    @Column(name = "VERIFY_RECIPIENTS")
    private Boolean verifyRecipients;

    // Eager: routing reloads every domain at once, and OpenJPA then reads all their relays in one more query.
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "SPLIT_DOMAIN_RELAY", joinColumns = @JoinColumn(name = "DOMAIN_NAME"))
    @OrderColumn(name = "RELAY_INDEX")
    @Column(name = "RELAY", nullable = false, length = 300)
    private List<String> relays;

    /** For JPA only. */
    protected JPADomainRouting() {
    }

    public JPADomainRouting(String domain, DomainRouting routing) {
        this.domain = domain;
        update(routing);
    }

    public void update(DomainRouting routing) {
        this.forwardUnknown = routing.isForwardUnknown();
        this.verifyRecipients = routing.isVerifyRecipients();
        this.relays = routing.getRelays().stream()
            .map(RelayHost::asStored)
            .collect(ArrayList::new, ArrayList::add, ArrayList::addAll);
    }

    public String getDomain() {
        return domain;
    }

    public DomainRouting toDomainRouting() {
        return DomainRouting.of(relays.stream()
                .map(RelayHost::parseStored)
                .collect(ImmutableList.toImmutableList()),
            forwardUnknown,
            verifyRecipients == null ? forwardUnknown : verifyRecipients);
    }
}
