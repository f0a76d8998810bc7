package org.splitdomain.pop3;

import java.util.Collection;

import javax.inject.Inject;

import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.pop3.POP3Response;
import org.apache.james.protocols.pop3.POP3Session;
import org.splitdomain.guard.ThirdPartyLogins;

import com.google.common.collect.ImmutableList;

/**
 * Answers PASS for a third-party user as James answers a wrong password ({@code -ERR Authentication
 * failed.}), before the password is checked. For anyone else it answers nothing, and James's own PASS
 * handler, next in the chain, does its job.
 *
 * <pre>{@code
 * <handler class="org.splitdomain.pop3.ThirdPartyPassCmdHandler"/>   <!-- before CoreCmdHandlerLoader -->
 * }</pre>
 */
public class ThirdPartyPassCmdHandler implements CommandHandler<POP3Session> {
    private static final Response AUTHENTICATION_FAILED = new POP3Response(POP3Response.ERR_RESPONSE, "Authentication failed.").immutable();

    private final ThirdPartyLogins thirdPartyLogins;

    @Inject
    public ThirdPartyPassCmdHandler(ThirdPartyLogins thirdPartyLogins) {
        this.thirdPartyLogins = thirdPartyLogins;
    }

    @Override
    public Response onCommand(POP3Session session, Request request) {
        if (session.getHandlerState() == POP3Session.AUTHENTICATION_USERSET
            && session.getUsername() != null
            && thirdPartyLogins.refuses("POP3", session.getUsername())) {
            session.setHandlerState(POP3Session.AUTHENTICATION_READY);
            return AUTHENTICATION_FAILED;
        }
        return null;
    }

    @Override
    public Collection<String> getImplCommands() {
        return ImmutableList.of("PASS");
    }
}
