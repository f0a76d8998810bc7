package org.splitdomain.jmap;

import javax.inject.Inject;

import org.apache.james.jmap.http.AuthenticationChallenge;
import org.apache.james.jmap.http.AuthenticationStrategy;
import org.apache.james.jmap.http.BasicAuthenticationStrategy;
import org.apache.james.mailbox.MailboxSession;
import org.splitdomain.guard.ThirdPartyLogins;

import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * James's HTTP Basic authentication for JMAP (RFC 8621), except that the credentials of a third-party
 * user authenticate nobody: the client gets JMAP's usual 401. Use it in {@code jmap.properties} in place
 * of {@code BasicAuthenticationStrategy}:
 *
 * <pre>
 * authentication.strategy.rfc8621=org.splitdomain.jmap.ThirdPartyRefusingBasicAuthenticationStrategy
 * </pre>
 */
public class ThirdPartyRefusingBasicAuthenticationStrategy implements AuthenticationStrategy {
    private final BasicAuthenticationStrategy basicAuthentication;
    private final ThirdPartyLogins thirdPartyLogins;

    @Inject
    public ThirdPartyRefusingBasicAuthenticationStrategy(BasicAuthenticationStrategy basicAuthentication, ThirdPartyLogins thirdPartyLogins) {
        this.basicAuthentication = basicAuthentication;
        this.thirdPartyLogins = thirdPartyLogins;
    }

    @Override
    public Mono<MailboxSession> createMailboxSession(HttpServerRequest httpRequest) {
        return Mono.from(basicAuthentication.createMailboxSession(httpRequest))
            .filter(session -> !thirdPartyLogins.refuses("JMAP", session.getUser()));
    }

    @Override
    public AuthenticationChallenge correspondingChallenge() {
        return basicAuthentication.correspondingChallenge();
    }
}
