package org.splitdomain.jmap;

import javax.inject.Inject;

import org.apache.james.jmap.http.BasicAuthenticationStrategy;
import org.splitdomain.guard.ThirdPartyLogins;

import reactor.core.publisher.Mono;

/**
 * James's HTTP Basic authentication for JMAP (RFC 8621), refusing users hosted elsewhere. Use it in
 * {@code jmap.properties} in place of {@code BasicAuthenticationStrategy}:
 *
 * <pre>
 * authentication.strategy.rfc8621=org.splitdomain.jmap.ThirdPartyRefusingBasicAuthenticationStrategy
 * </pre>
 */
public class ThirdPartyRefusingBasicAuthenticationStrategy extends ThirdPartyRefusingAuthenticationStrategy {
    @Inject
    public ThirdPartyRefusingBasicAuthenticationStrategy(BasicAuthenticationStrategy basicAuthentication, ThirdPartyLogins thirdPartyLogins) {
        // James's answer to a wrong password: no session, hence 401 "No valid authentication methods provided".
        super(basicAuthentication, thirdPartyLogins, Mono::empty);
    }
}
