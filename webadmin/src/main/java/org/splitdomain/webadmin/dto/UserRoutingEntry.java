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

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.splitdomain.settings.UserRouting;
import org.splitdomain.settings.service.SettingsImport;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.google.common.collect.ImmutableList;

/**
 * One user's settings as stored, with its name: a line of the export and of the import. Unlike
 * {@code GET /split-routing/users}, {@code forwardedAddresses} is only present when a subset was
 * chosen, so that "all addresses, aliases added later included" survives the round trip.
 */
@JsonPropertyOrder({"username", "thirdParty", "forwardedAddresses"})
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public class UserRoutingEntry implements SettingsImport.UserEntry {
    public static UserRoutingEntry from(Username username, UserRouting routing) {
        return new UserRoutingEntry(username.asString(), routing.isThirdParty(),
            routing.getForwardedAddresses().map(addresses -> addresses.stream()
                .map(MailAddress::asString)
                .sorted()
                .collect(ImmutableList.toImmutableList())));
    }

    private final String username;
    private final Boolean thirdParty;
    private final Optional<List<String>> forwardedAddresses;

    @JsonCreator
    public UserRoutingEntry(@JsonProperty("username") String username,
                            @JsonProperty("thirdParty") Boolean thirdParty,
                            @JsonProperty("forwardedAddresses") Optional<List<String>> forwardedAddresses) {
        this.username = username;
        this.thirdParty = thirdParty;
        this.forwardedAddresses = forwardedAddresses == null ? Optional.empty() : forwardedAddresses;
    }

    @Override
    public String getUsername() {
        return username;
    }

    public Boolean getThirdParty() {
        return thirdParty;
    }

    public Optional<List<String>> getForwardedAddresses() {
        return forwardedAddresses;
    }

    @Override
    public UserRoutingDTO routing() {
        return new UserRoutingDTO(thirdParty, forwardedAddresses);
    }
}
