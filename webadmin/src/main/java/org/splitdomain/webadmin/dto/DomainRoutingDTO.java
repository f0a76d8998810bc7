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
package org.splitdomain.webadmin.dto;

import java.util.List;
import java.util.Optional;

import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.service.RequestedDomainRouting;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.google.common.collect.ImmutableList;

/** {@code {"relays":["mx2.example.com:25",{"relay":"smtp.partner.example:587","tls":"verify","credential":"partner-cloud"}],"forwardUnknown":true,"verifyRecipients":true}} */
@JsonPropertyOrder({"relays", "forwardUnknown", "verifyRecipients"})
public class DomainRoutingDTO implements RequestedDomainRouting {
    public static DomainRoutingDTO from(DomainRouting routing) {
        return new DomainRoutingDTO(
            routing.getRelays().stream().map(RelayDTO::from).collect(ImmutableList.toImmutableList()),
            routing.isForwardUnknown(),
            routing.isVerifyRecipients());
    }

    private final List<RelayDTO> relays;
    private final Boolean forwardUnknown;
    private final Boolean verifyRecipients;

    @JsonCreator
    public DomainRoutingDTO(@JsonProperty("relays") List<RelayDTO> relays,
                            @JsonProperty("forwardUnknown") Boolean forwardUnknown,
                            @JsonProperty("verifyRecipients") Boolean verifyRecipients) {
        this.relays = relays;
        this.forwardUnknown = forwardUnknown;
        this.verifyRecipients = verifyRecipients;
    }

    public List<RelayDTO> getRelays() {
        return relays;
    }

    public boolean isForwardUnknown() {
        return Boolean.TRUE.equals(forwardUnknown);
    }

    public boolean isVerifyRecipients() {
        return verifyRecipients == null ? isForwardUnknown() : verifyRecipients;
    }

    /**
     * {@code forwardUnknown} defaults to false: the safe choice for a master, which must be able to say "no such user".
     * {@code verifyRecipients} defaults to {@code forwardUnknown}: a domain that forwards unknown addresses asks its
     * relay at RCPT, so that what the relay refuses is refused here too, rather than bounced later.
     */
    @Override
    public DomainRouting toDomainRouting() {
        if (relays == null) {
            throw new IllegalArgumentException("'relays' is mandatory");
        }
        ImmutableList<RelayHost> hosts = relays.stream()
            .map(relay -> Optional.ofNullable(relay).orElse(RelayDTO.of("")).toRelayHost())
            .collect(ImmutableList.toImmutableList());
        return DomainRouting.of(hosts, isForwardUnknown(), isVerifyRecipients());
    }
}
