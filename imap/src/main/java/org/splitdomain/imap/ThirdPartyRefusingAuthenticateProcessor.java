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
package org.splitdomain.imap;

import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.Username;

import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.request.ImapRequest;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.AuthenticateRequest;
import org.apache.james.imap.processor.AuthenticateProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.exception.BadCredentialsException;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.splitdomain.guard.OpenSessions;
import org.splitdomain.guard.ThirdPartyLogins;

/**
 * IMAP AUTHENTICATE that answers a third-party user exactly as a wrong password (PLAIN, in the same time: the
 * password is checked all the same, its result unused) or a rejected token (OAUTHBEARER and XOAUTH2, once James has checked the token and knows whose
 * it is): {@code NO AUTHENTICATE failed.}, counted as a failure like either. The session is watched by
 * {@link OpenSessions}, which ends it once its user becomes hosted elsewhere.
 */
public class ThirdPartyRefusingAuthenticateProcessor extends AuthenticateProcessor {
    private final ThirdPartyLogins thirdPartyLogins;
    private final OpenSessions openSessions;

    @Inject
    public ThirdPartyRefusingAuthenticateProcessor(MailboxManager mailboxManager, StatusResponseFactory factory,
                                            MetricFactory metricFactory, ThirdPartyLogins thirdPartyLogins, OpenSessions openSessions) {
        super(mailboxManager, factory, metricFactory);
        this.thirdPartyLogins = thirdPartyLogins;
        this.openSessions = openSessions;
    }

    // Every session that tries to log in is watched: once logged in, it ends when its user becomes hosted elsewhere.
    @Override
    protected void processRequest(AuthenticateRequest request, ImapSession session, Responder responder) {
        ImapSessions.watch(openSessions, session);
        super.processRequest(request, session, responder);
    }

    @Override
    protected void doAuth(AuthenticationAttempt attempt, ImapSession session, ImapRequest request, Responder responder, HumanReadableText failed) {
        if (ImapLoginGuard.refusesPassword(thirdPartyLogins, attempt.getAuthenticationId(), attempt.getDelegateUserName(), attempt.getPassword())) {
            manageFailureCount(session, request, responder, failed);
            return;
        }
        super.doAuth(attempt, session, request, responder, failed);
    }

    @Override
    protected void doAuthWithDelegation(AuthenticationAttempt attempt, ImapSession session, ImapRequest request, Responder responder) {
        if (ImapLoginGuard.refusesPassword(thirdPartyLogins, attempt.getAuthenticationId(), attempt.getDelegateUserName(), attempt.getPassword())) {
            manageFailureCount(session, request, responder);
            return;
        }
        super.doAuthWithDelegation(attempt, session, request, responder);
    }

    // A valid OAuth token for the user itself.
    @Override
    protected void authSuccess(Username username, ImapSession session, ImapRequest request, Responder responder) {
        if (ImapLoginGuard.refuses(thirdPartyLogins, username, Optional.empty())) {
            manageFailureCount(session, request, responder);
            return;
        }
        super.authSuccess(username, session, request, responder);
    }

    // A valid OAuth token acting as another user: who is who is known once James has opened the session.
    @Override
    protected void doAuthWithDelegation(MailboxSessionAuthWithDelegationSupplier mailboxSessionSupplier, ImapSession session,
                                        ImapRequest request, Responder responder) {
        super.doAuthWithDelegation(() -> {
            MailboxSession mailboxSession = mailboxSessionSupplier.get();
            if (ImapLoginGuard.refuses(thirdPartyLogins, mailboxSession.getLoggedInUser().orElse(null), Optional.of(mailboxSession.getUser()))) {
                throw new BadCredentialsException();
            }
            return mailboxSession;
        }, session, request, responder);
    }
}
