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
