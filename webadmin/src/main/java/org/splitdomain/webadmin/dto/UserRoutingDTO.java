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
