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

import org.splitdomain.settings.service.RequestedUserRouting;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Request body: {@code {"thirdParty":true,"forwardedAddresses":["a@example.com"]}}, addresses optional. */
public class UserRoutingDTO implements RequestedUserRouting {
    private final Boolean thirdParty;
    private final Optional<List<String>> forwardedAddresses;

    @JsonCreator
    public UserRoutingDTO(@JsonProperty("thirdParty") Boolean thirdParty,
                          @JsonProperty("forwardedAddresses") Optional<List<String>> forwardedAddresses) {
        this.thirdParty = thirdParty;
        this.forwardedAddresses = forwardedAddresses == null ? Optional.empty() : forwardedAddresses;
    }

    @Override
    public Optional<Boolean> getThirdParty() {
        return Optional.ofNullable(thirdParty);
    }

    @Override
    public Optional<List<String>> getForwardedAddresses() {
        return forwardedAddresses;
    }
}
