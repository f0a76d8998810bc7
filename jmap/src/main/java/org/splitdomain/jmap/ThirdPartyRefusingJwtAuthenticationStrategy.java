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
package org.splitdomain.jmap;

import javax.inject.Inject;

import org.apache.james.jmap.exceptions.UnauthorizedException;
import org.apache.james.jmap.http.JWTAuthenticationStrategy;
import org.splitdomain.guard.ThirdPartyLogins;

import reactor.core.publisher.Mono;

/**
 * James's JWT (Bearer token) authentication for JMAP (RFC 8621), refusing users hosted elsewhere. Use it in
 * {@code jmap.properties} in place of {@code JWTAuthenticationStrategy}, with James's {@code jwt.publickeypem.url}:
 *
 * <pre>
 * authentication.strategy.rfc8621=org.splitdomain.jmap.ThirdPartyRefusingBasicAuthenticationStrategy,org.splitdomain.jmap.ThirdPartyRefusingJwtAuthenticationStrategy
 * </pre>
 */
public class ThirdPartyRefusingJwtAuthenticationStrategy extends ThirdPartyRefusingAuthenticationStrategy {
    @Inject
    public ThirdPartyRefusingJwtAuthenticationStrategy(JWTAuthenticationStrategy jwtAuthentication, ThirdPartyLogins thirdPartyLogins) {
        // James's answer to a token it cannot verify.
        super(jwtAuthentication, thirdPartyLogins, () -> Mono.error(new UnauthorizedException("Failed Jwt verification")));
    }
}
