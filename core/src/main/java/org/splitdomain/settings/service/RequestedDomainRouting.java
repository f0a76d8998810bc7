package org.splitdomain.settings.service;

import org.splitdomain.settings.DomainRouting;

/**
 * A domain's settings as an operator wrote them (WebAdmin's JSON body, a line of an import), read by the
 * {@link SettingsService} once it checked the domain: an operator reads the errors in the order the settings are
 * checked.
 */
public interface RequestedDomainRouting {
    /** @throws IllegalArgumentException naming what is wrong, such as {@code relay 'mx:99999': port must be 1-65535} */
    DomainRouting toDomainRouting();
}
