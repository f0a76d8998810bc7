package org.splitdomain.smtp;

import javax.inject.Inject;

import org.apache.james.core.MaybeSender;
import org.apache.james.core.Username;
import org.apache.james.protocols.api.OidcSASLConfiguration;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.dsn.DSNStatus;
import org.apache.james.protocols.smtp.hook.AuthHook;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MailHook;
import org.splitdomain.guard.ThirdPartyLogins;

/**
 * Keeps users hosted on the other system off SMTP submission.
 *
 * <ul>
 *     <li>AUTH: refused before James checks the password, with James's own answer to a wrong password
 *     ({@code 535 Authentication Failed}), so nobody can tell which accounts are hosted elsewhere.</li>
 *     <li>MAIL FROM: an authenticated session whose user is now hosted elsewhere (flagged after it logged
 *     in, or logged in by a mechanism the AUTH check does not see, such as OAUTHBEARER) can no longer
 *     submit: {@code 530 5.7.1 Authentication Required}, as James answers a client that relays without authenticating.</li>
 * </ul>
 *
 * <pre>{@code
 * <handler class="org.splitdomain.smtp.ThirdPartyAuthHook"/>   <!-- before CoreCmdHandlerLoader -->
 * }</pre>
 */
public class ThirdPartyAuthHook implements AuthHook, MailHook, ProtocolHandler {
    private static final HookResult NO_LONGER_AUTHENTICATED = HookResult.builder()
        .hookReturnCode(HookReturnCode.deny())
        .smtpReturnCode("530")
        // James's own answer to a client that relays without authenticating.
        .smtpDescription(DSNStatus.getStatus(DSNStatus.PERMANENT, DSNStatus.SECURITY_AUTH) + " Authentication Required")
        .build();

    private final ThirdPartyLogins thirdPartyLogins;

    @Inject
    public ThirdPartyAuthHook(ThirdPartyLogins thirdPartyLogins) {
        this.thirdPartyLogins = thirdPartyLogins;
    }

    @Override
    public HookResult doAuth(SMTPSession session, Username username, String password) {
        if (thirdPartyLogins.refuses("SMTP", username)) {
            // No code nor text of our own: James then answers exactly as to a wrong password.
            return HookResult.DENY;
        }
        return HookResult.DECLINED;
    }

    @Override
    public HookResult doSasl(SMTPSession session, OidcSASLConfiguration saslConfiguration, String initialResponse) {
        return HookResult.DECLINED;
    }

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        Username username = session.getUsername();
        if (username != null && thirdPartyLogins.refuses("SMTP submission", username)) {
            return NO_LONGER_AUTHENTICATED;
        }
        return HookResult.DECLINED;
    }
}
