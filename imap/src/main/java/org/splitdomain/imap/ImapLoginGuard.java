package org.splitdomain.imap;

import java.util.Optional;

import org.apache.james.core.Username;
import org.splitdomain.guard.ThirdPartyLogins;

/** The one check both IMAP authentication commands make: neither the user nor the user it acts as may be third-party. */
final class ImapLoginGuard {
    private ImapLoginGuard() {
    }

    /**
     * The same check for a password login, which costs what a wrong password costs: the password of the user who logs
     * in is checked all the same, as James's LOGIN would check it (see {@link ThirdPartyLogins#refusesPassword}).
     */
    static boolean refusesPassword(ThirdPartyLogins thirdPartyLogins, Username authenticationId, Optional<Username> delegate,
                                   String password) {
        if (!refuses(thirdPartyLogins, authenticationId, delegate)) {
            return false;
        }
        if (authenticationId != null) {
            thirdPartyLogins.spendPasswordCheck("IMAP", authenticationId, password);
        }
        return true;
    }

    static boolean refuses(ThirdPartyLogins thirdPartyLogins, Username authenticationId, Optional<Username> delegate) {
        return (authenticationId != null && thirdPartyLogins.refuses("IMAP", authenticationId))
            || delegate.map(target -> thirdPartyLogins.refuses("IMAP", target)).orElse(false);
    }
}
