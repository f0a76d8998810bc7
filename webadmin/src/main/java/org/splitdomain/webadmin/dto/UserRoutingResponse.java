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
import java.util.Set;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.splitdomain.settings.UserRouting;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.google.common.collect.ImmutableList;

/** A user's settings with the addresses actually forwarded (all of the user's addresses when none were chosen). */
@JsonPropertyOrder({"username", "thirdParty", "forwardedAddresses", "forwardsAllAddresses"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UserRoutingResponse {
    /** @param forwarded the addresses the settings forward now: the chosen ones, or all of the user's */
    public static UserRoutingResponse of(Username username, UserRouting routing, Set<MailAddress> forwarded) {
        return new UserRoutingResponse(username.asString(), routing.isThirdParty(),
            forwarded.stream().map(MailAddress::asString).sorted().collect(ImmutableList.toImmutableList()),
            routing.isThirdParty() && routing.forwardsAllAddresses());
    }

    private final String username;
    private final boolean thirdParty;
    private final List<String> forwardedAddresses;
    private final boolean forwardsAllAddresses;

    public UserRoutingResponse(String username, boolean thirdParty, List<String> forwardedAddresses, boolean forwardsAllAddresses) {
        this.username = username;
        this.thirdParty = thirdParty;
        this.forwardedAddresses = forwardedAddresses;
        this.forwardsAllAddresses = forwardsAllAddresses;
    }

    public UserRoutingResponse withoutUsername() {
        return new UserRoutingResponse(null, thirdParty, forwardedAddresses, forwardsAllAddresses);
    }

    public String getUsername() {
        return username;
    }

    public boolean isThirdParty() {
        return thirdParty;
    }

    public List<String> getForwardedAddresses() {
        return forwardedAddresses;
    }

    public boolean isForwardsAllAddresses() {
        return forwardsAllAddresses;
    }
}
