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

import javax.inject.Inject;

import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.request.ImapRequest;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.LoginRequest;
import org.apache.james.imap.processor.LoginProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.splitdomain.guard.OpenSessions;
import org.splitdomain.guard.ThirdPartyLogins;

/**
 * IMAP LOGIN that answers a third-party user exactly as a wrong password, and in the same time (the password is
 * checked all the same, its result unused), and has {@link org.splitdomain.guard.OpenSessions} end the session once its user becomes hosted elsewhere.
 */
public class ThirdPartyRefusingLoginProcessor extends LoginProcessor {
    private final ThirdPartyLogins thirdPartyLogins;
    private final OpenSessions openSessions;

    @Inject
    public ThirdPartyRefusingLoginProcessor(MailboxManager mailboxManager, StatusResponseFactory factory,
                                            MetricFactory metricFactory, ThirdPartyLogins thirdPartyLogins, OpenSessions openSessions) {
        super(mailboxManager, factory, metricFactory);
        this.thirdPartyLogins = thirdPartyLogins;
        this.openSessions = openSessions;
    }

    // Every session that tries to log in is watched: once logged in, it ends when its user becomes hosted elsewhere.
    @Override
    protected void processRequest(LoginRequest request, ImapSession session, Responder responder) {
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
}
