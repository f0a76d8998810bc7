package org.splitdomain.imap;

import javax.inject.Inject;

import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.request.ImapRequest;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.processor.AuthenticateProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.splitdomain.guard.ThirdPartyLogins;

/** IMAP AUTHENTICATE that answers a third-party user exactly as a wrong password, without checking the password. */
public class ThirdPartyRefusingAuthenticateProcessor extends AuthenticateProcessor {
    private final ThirdPartyLogins thirdPartyLogins;

    @Inject
    public ThirdPartyRefusingAuthenticateProcessor(MailboxManager mailboxManager, StatusResponseFactory factory,
                                            MetricFactory metricFactory, ThirdPartyLogins thirdPartyLogins) {
        super(mailboxManager, factory, metricFactory);
        this.thirdPartyLogins = thirdPartyLogins;
    }

    @Override
    protected void doAuth(AuthenticationAttempt attempt, ImapSession session, ImapRequest request, Responder responder, HumanReadableText failed) {
        if (ImapLoginGuard.refuses(thirdPartyLogins, attempt.getAuthenticationId(), attempt.getDelegateUserName())) {
            manageFailureCount(session, request, responder, failed);
            return;
        }
        super.doAuth(attempt, session, request, responder, failed);
    }

    @Override
    protected void doAuthWithDelegation(AuthenticationAttempt attempt, ImapSession session, ImapRequest request, Responder responder) {
        if (ImapLoginGuard.refuses(thirdPartyLogins, attempt.getAuthenticationId(), attempt.getDelegateUserName())) {
            manageFailureCount(session, request, responder);
            return;
        }
        super.doAuthWithDelegation(attempt, session, request, responder);
    }
}
