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
package org.splitdomain.pop3;

import java.util.Collection;
import java.util.List;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.apache.james.protocols.api.ProtocolSessionImpl;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.pop3.POP3Response;
import org.apache.james.protocols.pop3.POP3Session;
import org.splitdomain.guard.OpenSessions;
import org.splitdomain.guard.ThirdPartyLogins;

import com.google.common.collect.ImmutableList;

/**
 * Answers PASS for a third-party user as James answers a wrong password ({@code -ERR Authentication
 * failed.}), in the time a wrong password takes: the password is checked all the same, its result unused. For anyone else it answers nothing, and James's own PASS
 * handler, next in the chain, does its job. A session that logged in is closed (an {@code -ERR} line, then the
 * connection) within {@link OpenSessions#SWEEP_PERIOD} of its user becoming hosted elsewhere.
 *
 * <pre>{@code
 * <handler class="org.splitdomain.pop3.ThirdPartyPassCmdHandler"/>   <!-- before CoreCmdHandlerLoader -->
 * }</pre>
 */
public class ThirdPartyPassCmdHandler implements CommandHandler<POP3Session> {
    private static final Response AUTHENTICATION_FAILED = new POP3Response(POP3Response.ERR_RESPONSE, "Authentication failed.").immutable();

    private final ThirdPartyLogins thirdPartyLogins;
    private final OpenSessions openSessions;

    @Inject
    public ThirdPartyPassCmdHandler(ThirdPartyLogins thirdPartyLogins, OpenSessions openSessions) {
        this.thirdPartyLogins = thirdPartyLogins;
        this.openSessions = openSessions;
    }

    @Override
    public Response onCommand(POP3Session session, Request request) {
        // Watched from its first PASS: once logged in, it ends when its user becomes hosted elsewhere.
        openSessions.watch("POP3", session, ThirdPartyPassCmdHandler::loggedInUser, ThirdPartyPassCmdHandler::close);
        if (session.getHandlerState() == POP3Session.AUTHENTICATION_USERSET
            && session.getUsername() != null
            && thirdPartyLogins.refusesPassword("POP3", session.getUsername(), request.getArgument())) {
            session.setHandlerState(POP3Session.AUTHENTICATION_READY);
            return AUTHENTICATION_FAILED;
        }
        return null;
    }

    private static Collection<Username> loggedInUser(POP3Session session) {
        if (session.getHandlerState() != POP3Session.TRANSACTION || session.getUsername() == null) {
            return List.of();
        }
        return List.of(session.getUsername());
    }

    // As James ends a session it cannot serve: an -ERR line, then the connection is closed.
    private static void close(POP3Session session) {
        if (session instanceof ProtocolSessionImpl) {
            POP3Response bye = new POP3Response(POP3Response.ERR_RESPONSE, "This account is not served by this server any more");
            bye.setEndSession(true);
            ((ProtocolSessionImpl) session).getProtocolTransport().writeResponse(bye, session);
        }
    }

    @Override
    public Collection<String> getImplCommands() {
        return ImmutableList.of("PASS");
    }
}
