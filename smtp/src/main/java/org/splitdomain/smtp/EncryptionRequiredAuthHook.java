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

import org.apache.james.core.Username;
import org.apache.james.protocols.api.OidcSASLConfiguration;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.AuthHook;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;

/**
 * Makes {@code <auth><requireSSL>true</requireSSL>} mean what it says. James 3.8.1 only stops announcing AUTH
 * before STARTTLS and still checks credentials sent in clear; this refuses them, before any password or token
 * is looked at, with RFC 4954's {@code 538 5.7.11 Encryption required for requested authentication mechanism}
 * (the same answer for every user, so it tells nothing about accounts). List it first in the handler chain of
 * every {@code <smtpserver>}:
 *
 * <pre>{@code
 * <handler class="org.splitdomain.smtp.EncryptionRequiredAuthHook"/>
 * }</pre>
 */
public class EncryptionRequiredAuthHook implements AuthHook, ProtocolHandler {
    private static final HookResult ENCRYPTION_REQUIRED = HookResult.builder()
        .hookReturnCode(HookReturnCode.deny())
        .smtpReturnCode("538")
        .smtpDescription("5.7.11 Encryption required for requested authentication mechanism")
        .build();

    @Override
    public HookResult doAuth(SMTPSession session, Username username, String password) {
        return refusesInClear(session) ? ENCRYPTION_REQUIRED : HookResult.DECLINED;
    }

    @Override
    public HookResult doSasl(SMTPSession session, OidcSASLConfiguration saslConfiguration, String initialResponse) {
        return refusesInClear(session) ? ENCRYPTION_REQUIRED : HookResult.DECLINED;
    }

    // requireSSL is the one setting that hides AUTH in clear and shows it over TLS, for the same client.
    private static boolean refusesInClear(SMTPSession session) {
        String client = session.getRemoteAddress().getAddress().getHostAddress();
        return !session.isTLSStarted()
            && !session.getConfiguration().isAuthAnnounced(client, false)
            && session.getConfiguration().isAuthAnnounced(client, true);
    }
}
