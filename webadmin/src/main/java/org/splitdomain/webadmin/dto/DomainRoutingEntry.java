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

import org.apache.james.core.Domain;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.service.SettingsImport;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One domain's settings with its name: a line of {@code GET /split-routing/domains}, of the export and of the import. */
@JsonPropertyOrder({"domain", "relays", "forwardUnknown", "verifyRecipients"})
public class DomainRoutingEntry implements SettingsImport.DomainEntry {
    public static DomainRoutingEntry from(Domain domain, DomainRouting routing) {
        return new DomainRoutingEntry(domain.asString(), DomainRoutingDTO.from(routing));
    }

    private final String domain;
    private final DomainRoutingDTO routing;

    public DomainRoutingEntry(String domain, DomainRoutingDTO routing) {
        this.domain = domain;
        this.routing = routing;
    }

    @JsonCreator
    public DomainRoutingEntry(@JsonProperty("domain") String domain,
                              @JsonProperty("relays") List<RelayDTO> relays,
                              @JsonProperty("forwardUnknown") Boolean forwardUnknown,
                              @JsonProperty("verifyRecipients") Boolean verifyRecipients) {
        this(domain, new DomainRoutingDTO(relays, forwardUnknown, verifyRecipients));
    }

    @Override
    public String getDomain() {
        return domain;
    }

    public List<RelayDTO> getRelays() {
        return routing.getRelays();
    }

    public boolean isForwardUnknown() {
        return routing.isForwardUnknown();
    }

    public boolean isVerifyRecipients() {
        return routing.isVerifyRecipients();
    }

    @Override
    public DomainRoutingDTO routing() {
        return routing;
    }
}
