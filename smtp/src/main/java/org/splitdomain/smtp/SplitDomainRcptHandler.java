package org.splitdomain.smtp;

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.dsn.DSNStatus;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.core.fastfail.AbstractValidRcptHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.route.RouteExplanation;
import org.splitdomain.route.RouteResolutionException;
import org.splitdomain.route.RouteResolver;

/**
 * The RCPT check of a split-domain server, in place of James's {@code ValidRcptHandler}.
 *
 * <p>A recipient of a local domain is refused with {@code 550 5.1.1} only when the route decision
 * finds nobody for it: a domain that forwards unknown addresses takes any of its addresses (a slave
 * must accept mail for users only its master knows). A domain that is not local is left to James's
 * relay authorisation (no open relay), and a backend failure answers {@code 451} so the client retries.</p>
 *
 * <pre>{@code
 * <handlerchain>
 *     <handler class="org.splitdomain.smtp.SplitDomainRcptHandler"/>
 *     <handler class="org.apache.james.smtpserver.CoreCmdHandlerLoader"/>
 * </handlerchain>
 * }</pre>
 */
public class SplitDomainRcptHandler extends AbstractValidRcptHandler implements ProtocolHandler {
    private static final Logger LOGGER = LoggerFactory.getLogger(SplitDomainRcptHandler.class);

    private final DomainList domainList;
    private final RouteResolver routeResolver;

    @Inject
    public SplitDomainRcptHandler(DomainList domainList, RouteResolver routeResolver) {
        this.domainList = domainList;
        this.routeResolver = routeResolver;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress recipient) {
        // A local part James cannot turn into a user name ("a@b"@example.com) is no address of ours, now or
        // later: a permanent refusal, where James's own check would answer 451 and senders retry for days.
        if (isLocalDomainQuietly(recipient) && cannotBeAUserName(recipient)) {
            LOGGER.info("RCPT {} refused: James cannot turn its local part into a user name", recipient.asString());
            return HookResult.builder()
                .hookReturnCode(HookReturnCode.deny())
                .smtpReturnCode(SMTPRetCode.SYNTAX_ERROR_MAILBOX)
                .smtpDescription(DSNStatus.getStatus(DSNStatus.PERMANENT, DSNStatus.ADDRESS_SYNTAX)
                    + " <" + recipient.asString() + ">: this server has no mailbox of that form")
                .build();
        }
        return super.doRcpt(session, sender, recipient);
    }

    private boolean cannotBeAUserName(MailAddress recipient) {
        try {
            return !routeResolver.isUserNameForm(recipient);
        } catch (RouteResolutionException e) {
            // Left to the usual check, which answers 451 for a backend failure.
            return false;
        }
    }

    private boolean isLocalDomainQuietly(MailAddress recipient) {
        try {
            return domainList.containsDomain(recipient.getDomain());
        } catch (DomainListException e) {
            // Left to the usual check, which answers 451 for a backend failure.
            return false;
        }
    }

    @Override
    protected boolean isValidRecipient(SMTPSession session, MailAddress recipient) {
        RouteExplanation explanation = routeResolver.explain(recipient);
        if (explanation.isUnknownEverywhere()) {
            LOGGER.info("RCPT {} refused: {}", recipient.asString(), explanation.getDecisions().get(0).getReason());
            return false;
        }
        return true;
    }

    @Override
    protected boolean isLocalDomain(SMTPSession session, Domain domain) throws Exception {
        return domainList.containsDomain(domain);
    }
}
