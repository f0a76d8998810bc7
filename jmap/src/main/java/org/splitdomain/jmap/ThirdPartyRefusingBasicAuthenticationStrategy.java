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
