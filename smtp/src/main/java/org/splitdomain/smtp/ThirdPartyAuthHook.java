package org.splitdomain.smtp;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.apache.james.protocols.api.OidcSASLConfiguration;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.AuthHook;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.splitdomain.guard.ThirdPartyLogins;

/**
 * Refuses SMTP AUTH to third-party users with the answer of RFC 4954 for refused credentials ({@code 535 5.7.8}),
 * before James checks the password. Everyone else is left to James's own authentication.
 *
 * <pre>{@code
 * <handler class="org.splitdomain.smtp.ThirdPartyAuthHook"/>   <!-- before CoreCmdHandlerLoader -->
 * }</pre>
 */
public class ThirdPartyAuthHook implements AuthHook, ProtocolHandler {
    private static final HookResult AUTHENTICATION_FAILED = HookResult.builder()
        .hookReturnCode(HookReturnCode.deny())
        .smtpReturnCode(SMTPRetCode.AUTH_FAILED)
        // RFC 4954: 535 5.7.8 is the answer to credentials that are not accepted.
        .smtpDescription("5.7.8 Authentication credentials invalid")
        .build();

    private final ThirdPartyLogins thirdPartyLogins;

    @Inject
    public ThirdPartyAuthHook(ThirdPartyLogins thirdPartyLogins) {
        this.thirdPartyLogins = thirdPartyLogins;
    }

    @Override
    public HookResult doAuth(SMTPSession session, Username username, String password) {
        if (thirdPartyLogins.refuses("SMTP", username)) {
            return AUTHENTICATION_FAILED;
        }
        return HookResult.DECLINED;
    }

    @Override
    public HookResult doSasl(SMTPSession session, OidcSASLConfiguration saslConfiguration, String initialResponse) {
        return HookResult.DECLINED;
    }
}
