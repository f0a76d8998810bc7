package org.splitdomain.settings.service;

import java.util.List;
import java.util.Optional;

/**
 * A user's settings as an operator wrote them: {@code thirdParty}, and the forwarded addresses as written, checked
 * against the user's addresses in James by the {@link SettingsService}.
 */
public interface RequestedUserRouting {
    Optional<Boolean> getThirdParty();

    /** Empty when every address of the user is forwarded. */
    Optional<List<String>> getForwardedAddresses();
}
