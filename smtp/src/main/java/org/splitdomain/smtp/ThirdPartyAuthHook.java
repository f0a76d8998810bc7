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
package org.splitdomain.smtp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.inject.Inject;

import org.apache.james.core.MaybeSender;
import org.apache.james.core.Username;
import org.apache.james.jwt.OidcJwtTokenVerifier;
import org.apache.james.protocols.api.OIDCSASLParser;
import org.apache.james.protocols.api.OidcSASLConfiguration;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPRetCode;
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
 *     <li>AUTH: refused with James's own answer to a wrong password ({@code 535 Authentication Failed}), after the
 *     same password check, so that neither the reply nor its time tells which accounts are hosted elsewhere.</li>
 *     <li>AUTH OAUTHBEARER/XOAUTH2: a valid token of such a user is answered as an invalid token.</li>
 *     <li>MAIL FROM: an authenticated session whose user is now hosted elsewhere (flagged after it logged
 *     in) can no longer
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

    // James's answers once an invalid token's challenge is answered (AuthCmdHandler).
    private static final Response AUTH_FAILED = new SMTPResponse(SMTPRetCode.AUTH_FAILED, "Authentication Failed").immutable();
    private static final Response AUTH_ABORTED = new SMTPResponse(SMTPRetCode.SYNTAX_ERROR_ARGUMENTS,
        DSNStatus.getStatus(DSNStatus.PERMANENT, DSNStatus.SECURITY_AUTH) + " Authentication aborted").immutable();

    private final ThirdPartyLogins thirdPartyLogins;

    @Inject
    public ThirdPartyAuthHook(ThirdPartyLogins thirdPartyLogins) {
        this.thirdPartyLogins = thirdPartyLogins;
    }

    @Override
    public HookResult doAuth(SMTPSession session, Username username, String password) {
        if (thirdPartyLogins.refusesPassword("SMTP", username, password)) {
            // No code nor text of our own: James then answers exactly as to a wrong password.
            return HookResult.DENY;
        }
        return HookResult.DECLINED;
    }

    /**
     * A valid token of a user hosted elsewhere gets what James answers an invalid token: a {@code 334} challenge
     * naming the scope and the OpenID configuration, then {@code 535 Authentication Failed} to the client's answer
     * ({@code 501 5.7.0 Authentication aborted} to {@code *}). James's own hook would accept the token, and a
     * {@code 535} from a hook is skipped for SASL: so this hook, listed before James's, answers the challenge.
     */
    @Override
    public HookResult doSasl(SMTPSession session, OidcSASLConfiguration saslConfiguration, String initialResponse) {
        boolean refused = OIDCSASLParser.parse(initialResponse)
            .filter(response -> OidcJwtTokenVerifier.verifySignatureAndExtractClaim(response.getToken(),
                    saslConfiguration.getJwksURL(), saslConfiguration.getClaim())
                .map(Username::of)
                .filter(tokenUser -> thirdPartyLogins.refuses("SMTP", tokenUser)
                    || thirdPartyLogins.refuses("SMTP", Username.of(response.getAssociatedUser())))
                .isPresent())
            .isPresent();
        if (!refused) {
            return HookResult.DECLINED;
        }
        session.pushLineHandler(new LineHandler<SMTPSession>() {
            @Override
            public Response onLine(SMTPSession lineSession, byte[] line) {
                lineSession.popLineHandler();
                return new String(line, lineSession.getCharset()).equals("*\r\n") ? AUTH_ABORTED : AUTH_FAILED;
            }
        });
        String challenge = String.format("{\"status\":\"invalid_token\",\"scope\":\"%s\",\"schemes\":\"%s\"}",
            saslConfiguration.getScope(), saslConfiguration.getOidcConfigurationURL());
        return HookResult.builder()
            .hookReturnCode(HookReturnCode.deny())
            .smtpReturnCode("334")
            .smtpDescription(Base64.getEncoder().encodeToString(challenge.getBytes(StandardCharsets.UTF_8)))
            .build();
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
