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

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.google.common.collect.ImmutableList;

/** Every split-routing setting of a server: what the export writes and the import reads. */
@JsonPropertyOrder({"domains", "users"})
public class SplitRoutingSettingsDTO {
    private final List<DomainRoutingEntry> domains;
    private final List<UserRoutingEntry> users;

    @JsonCreator
    public SplitRoutingSettingsDTO(@JsonProperty("domains") List<DomainRoutingEntry> domains,
                                   @JsonProperty("users") List<UserRoutingEntry> users) {
        this.domains = Optional.ofNullable(domains).orElse(ImmutableList.of());
        this.users = Optional.ofNullable(users).orElse(ImmutableList.of());
    }

    public List<DomainRoutingEntry> getDomains() {
        return domains;
    }

    public List<UserRoutingEntry> getUsers() {
        return users;
    }
}
