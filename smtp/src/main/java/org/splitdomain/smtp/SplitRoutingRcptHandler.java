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
package org.splitdomain.smtp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.dsn.DSNStatus;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.mailets.verify.RecipientVerifier;
import org.splitdomain.mailets.verify.Verdict;
import org.splitdomain.route.RouteDecision;
import org.splitdomain.route.RouteExplanation;
import org.splitdomain.route.RouteResolver;
import org.splitdomain.route.RouteRule;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.SplitRoutingStore;

/**
 * The RCPT check of a split-domain server, in place of James's {@code ValidRcptHandler}.
 *
 * <p>A recipient of a local domain is refused with {@code 550 5.1.1} when the route decision finds
 * nobody for it; {@code postmaster@} every local domain is always accepted (RFC 5321 4.5.1). A recipient
 * that is relayed as written (a third-party user's forwarded address, or an address only the forward-unknown
 * rule relays) is first asked of its relays when its domain verifies recipients ({@code verifyRecipients}, on by
 * default with {@code forwardUnknown}): accepted when a relay takes it, {@code 550 5.1.1} when the relay refuses
 * it, {@code 450} when no relay gives a final answer within the verifier's budgets, so that a recipient nobody
 * hosts is refused here rather than bounced later to a sender that may be forged. What the client reads names
 * neither the relay nor its answer; the log does.</p>
 *
 * <p>A probe that comes from a relay (null sender, client address of one of the relays the recipient would go to)
 * for an address this server would relay, unchanged, back to that relay is answered {@code 550} at once: the relay
 * asks because it does not host the address, and this server does not either. So two servers never probe each
 * other in circles, and neither accepts mail that would only go round between them.</p>
 *
 * <p>A domain that is not local is left to James's relay authorisation (no open relay), and a backend
 * failure answers {@code 451} so the client retries.</p>
 *
 * <pre>{@code
 * <handlerchain>
 *     <handler class="org.splitdomain.smtp.SplitRoutingRcptHandler"/>
 *     <handler class="org.apache.james.smtpserver.CoreCmdHandlerLoader"/>
 * </handlerchain>
 * }</pre>
 */
public class SplitRoutingRcptHandler implements RcptHook, ProtocolHandler {
    private static final Logger LOGGER = LoggerFactory.getLogger(SplitRoutingRcptHandler.class);
    private static final String POSTMASTER = "postmaster";

    private final RouteResolver routeResolver;
    private final SplitRoutingStore store;
    private final RecipientVerifier verifier;
    private final DNSService dnsService;

    @Inject
    public SplitRoutingRcptHandler(RouteResolver routeResolver, SplitRoutingStore store,
                                  RecipientVerifier verifier, DNSService dnsService) {
        this.routeResolver = routeResolver;
        this.store = store;
        this.verifier = verifier;
        this.dnsService = dnsService;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress recipient) {
        try {
            if (!routeResolver.isManagedDomain(recipient.getDomain())) {
                return HookResult.DECLINED;
            }
            // RFC 5321 4.5.1: every domain that takes mail takes it for postmaster, whom James's PostmasterAlias
            // delivers to the server's postmaster when no user or mapping has that address.
            if (recipient.getLocalPart().equalsIgnoreCase(POSTMASTER)) {
                return HookResult.DECLINED;
            }
            // A local part James cannot turn into a user name ("a@b"@example.com) is no address of ours, now or
            // later: a permanent refusal, where James's own check would answer 451 and senders retry for days.
            if (!routeResolver.isUserNameForm(recipient)) {
                LOGGER.info("RCPT {} refused: James cannot turn its local part into a user name", recipient.asString());
                return refusal(SMTPRetCode.SYNTAX_ERROR_MAILBOX, DSNStatus.getStatus(DSNStatus.PERMANENT, DSNStatus.ADDRESS_SYNTAX)
                    + " <" + recipient.asString() + ">: this server has no mailbox of that form");
            }
            RouteExplanation explanation = routeResolver.explain(recipient);
            if (explanation.isUnknownEverywhere()) {
                LOGGER.info("RCPT {} refused: {}", recipient.asString(), explanation.getDecisions().get(0).getReason());
                return refusal(SMTPRetCode.MAILBOX_PERM_UNAVAILABLE, DSNStatus.getStatus(DSNStatus.PERMANENT, DSNStatus.ADDRESS_MAILBOX)
                    + " Unknown user: " + recipient.asString());
            }
            Optional<RouteDecision> relayedAsWritten = relayedAsWritten(explanation);
            if (relayedAsWritten.isPresent() && sender.isNullSender() && isFromOneOf(session, relayedAsWritten.get().getRelays())) {
                LOGGER.info("RCPT {} refused: a probe from relay address {}, which this server would relay it back to ({})",
                    recipient.asString(), session.getRemoteAddress().getAddress().getHostAddress(), relayedAsWritten.get().getRule().asString());
                return refusal(SMTPRetCode.MAILBOX_PERM_UNAVAILABLE, DSNStatus.getStatus(DSNStatus.PERMANENT, DSNStatus.ADDRESS_MAILBOX)
                    + " <" + recipient.asString() + ">: no such user here");
            }
            return relayedAsWritten
                .filter(this::isVerified)
                .map(decision -> verified(session, recipient, decision.getRelays()))
                .orElse(HookResult.DECLINED);
        } catch (Exception e) {
            LOGGER.error("RCPT {}: the recipient could not be checked, answered 451", recipient.asString(), e);
            return HookResult.builder()
                .hookReturnCode(HookReturnCode.denySoft())
                .smtpReturnCode(SMTPRetCode.LOCAL_ERROR)
                .smtpDescription(DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.UNDEFINED_STATUS) + " Unexpected error for "
                    + recipient.asString())
                .build();
        }
    }

    // A recipient the relay gets as the sender wrote it: that address is what the relay is asked about. Aliases that
    // lead to relayed addresses are the administrator's own settings, which explain and the consistency check look at.
    private static Optional<RouteDecision> relayedAsWritten(RouteExplanation explanation) {
        if (explanation.getDecisions().size() != 1) {
            return Optional.empty();
        }
        RouteDecision decision = explanation.getDecisions().get(0);
        boolean relayedByRule = decision.getRule() == RouteRule.FORWARD_UNKNOWN || decision.getRule() == RouteRule.THIRD_PARTY;
        return Optional.of(decision)
            .filter(relayed -> relayedByRule && relayed.isRelay() && relayed.getAddress().equals(explanation.getAddress()));
    }

    private boolean isVerified(RouteDecision decision) {
        return store.domainRouting(decision.getAddress().getDomain())
            .map(DomainRouting::isVerifyRecipients)
            .orElse(false);
    }

    private HookResult verified(SMTPSession session, MailAddress recipient, List<RelayHost> relays) {
        Verdict verdict = verifier.verify(recipient, relays, session.getRemoteAddress().getAddress());
        switch (verdict.getKind()) {
            case ACCEPTED:
                return HookResult.DECLINED;
            case REFUSED:
                LOGGER.info("RCPT {} refused: {}", recipient.asString(), verdict);
                return refusal(SMTPRetCode.MAILBOX_PERM_UNAVAILABLE, DSNStatus.getStatus(DSNStatus.PERMANENT, DSNStatus.ADDRESS_MAILBOX)
                    + " <" + recipient.asString() + ">: no such recipient");
            case PENDING:
                return deferral(recipient, verdict, DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.ADDRESS_MAILBOX)
                    + " <" + recipient.asString() + ">: recipient verification in progress, try again later");
            case THROTTLED:
                return deferral(recipient, verdict, DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.SECURITY_AUTH)
                    + " <" + recipient.asString() + ">: too many recipients to verify from your address, try again later");
            default:
                return deferral(recipient, verdict, DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.NETWORK_NO_ANSWER)
                    + " <" + recipient.asString() + ">: cannot be verified now, try again later");
        }
    }

    // The relay and its answer stay in the log: an outside client must not learn the internal relay from us.
    private static HookResult deferral(MailAddress recipient, Verdict verdict, String description) {
        LOGGER.info("RCPT {} deferred: {}", recipient.asString(), verdict);
        return HookResult.builder()
            .hookReturnCode(HookReturnCode.denySoft())
            .smtpReturnCode(SMTPRetCode.MAILBOX_TEMP_UNAVAILABLE)
            .smtpDescription(description)
            .build();
    }

    private boolean isFromOneOf(SMTPSession session, List<RelayHost> relays) {
        InetAddress client = session.getRemoteAddress().getAddress();
        return relays.stream()
            .flatMap(relay -> addressesOf(relay).stream())
            .anyMatch(client::equals);
    }

    private Collection<InetAddress> addressesOf(RelayHost relay) {
        try {
            return dnsService.getAllByName(relay.getHost());
        } catch (UnknownHostException e) {
            return List.of();
        }
    }

    private static HookResult refusal(String code, String description) {
        return HookResult.builder()
            .hookReturnCode(HookReturnCode.deny())
            .smtpReturnCode(code)
            .smtpDescription(description)
            .build();
    }
}
