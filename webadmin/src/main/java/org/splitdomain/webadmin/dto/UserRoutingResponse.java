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
