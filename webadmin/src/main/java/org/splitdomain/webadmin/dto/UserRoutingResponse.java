package org.splitdomain.webadmin.dto;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A user's settings with the addresses actually forwarded (all of the user's addresses when none were chosen). */
@JsonPropertyOrder({"username", "thirdParty", "forwardedAddresses", "forwardsAllAddresses"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UserRoutingResponse {
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
