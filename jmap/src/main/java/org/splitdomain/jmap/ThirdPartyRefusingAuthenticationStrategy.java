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

import java.util.function.Supplier;

import org.apache.james.jmap.http.AuthenticationChallenge;
import org.apache.james.jmap.http.AuthenticationStrategy;
import org.apache.james.mailbox.MailboxSession;
import org.splitdomain.guard.ThirdPartyLogins;

import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * One of James's JMAP authentication strategies, except that it authenticates nobody hosted elsewhere (the
 * session's user, nor the user who logged in for it): the client gets JMAP's usual 401. JMAP authenticates
 * every request, so a user flagged while its client is connected is refused from its next request on.
 */
abstract class ThirdPartyRefusingAuthenticationStrategy implements AuthenticationStrategy {
    private final AuthenticationStrategy james;
    private final ThirdPartyLogins thirdPartyLogins;
    private final Supplier<Mono<MailboxSession>> refusal;

    /** {@code refusal}: what {@code james} answers to credentials it does not accept, so that both look the same. */
    ThirdPartyRefusingAuthenticationStrategy(AuthenticationStrategy james, ThirdPartyLogins thirdPartyLogins,
                                             Supplier<Mono<MailboxSession>> refusal) {
        this.james = james;
        this.thirdPartyLogins = thirdPartyLogins;
        this.refusal = refusal;
    }

    @Override
    public Mono<MailboxSession> createMailboxSession(HttpServerRequest httpRequest) {
        return Mono.from(james.createMailboxSession(httpRequest))
            .flatMap(session -> isHostedElsewhere(session) ? refusal.get() : Mono.just(session));
    }

    private boolean isHostedElsewhere(MailboxSession session) {
        return thirdPartyLogins.refuses("JMAP", session.getUser())
            || session.getLoggedInUser().filter(user -> thirdPartyLogins.refuses("JMAP", user)).isPresent();
    }

    @Override
    public AuthenticationChallenge correspondingChallenge() {
        return james.correspondingChallenge();
    }
}
