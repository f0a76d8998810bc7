package org.splitdomain.imap;

import java.util.Optional;

import org.apache.james.core.Username;
import org.splitdomain.guard.ThirdPartyLogins;

/** The one check both IMAP authentication commands make: neither the user nor the user it acts as may be third-party. */
final class ImapLoginGuard {
    private ImapLoginGuard() {
    }

    static boolean refuses(ThirdPartyLogins thirdPartyLogins, Username authenticationId, Optional<Username> delegate) {
        return (authenticationId != null && thirdPartyLogins.refuses("IMAP", authenticationId))
            || delegate.map(target -> thirdPartyLogins.refuses("IMAP", target)).orElse(false);
    }
}
