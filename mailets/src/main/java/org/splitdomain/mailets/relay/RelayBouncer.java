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
package org.splitdomain.mailets.relay;

import java.util.Collection;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.transport.mailets.remote.delivery.Bouncer;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns recipients of a mail to its sender: a copy of the mail for just those recipients goes to
 * {@code bounceProcessor} (which ends in James's {@code DSNBounce}) with the attributes James's
 * RemoteDelivery sets, so the DSN reads the same. A mail without sender (itself a bounce) gets none.
 */
public final class RelayBouncer {
    private static final Logger LOGGER = LoggerFactory.getLogger(RelayBouncer.class);
    private static final Pattern REPLY_CODE = Pattern.compile("^([245][0-9][0-9])[ -]");

    private final MailetContext mailetContext;
    private final String bounceProcessor;

    public RelayBouncer(MailetContext mailetContext, String bounceProcessor) {
        this.mailetContext = mailetContext;
        this.bounceProcessor = bounceProcessor;
    }

    /** {@code error} goes in the DSN, e.g. the relay's {@code 550 5.1.1 no such user}. */
    public void bounce(Mail mail, Collection<MailAddress> recipients, String error) throws MessagingException {
        if (!mail.hasSender()) {
            LOGGER.info("Mail {} has no sender (it is a bounce itself): no DSN for {}: {}", mail.getName(), recipients, error);
            return;
        }
        Mail copy = mail.duplicate();
        try {
            copy.setRecipients(recipients);
            copy.setAttribute(new Attribute(Bouncer.DELIVERY_ERROR, AttributeValue.of(error)));
            copy.setAttribute(new Attribute(Bouncer.IS_DELIVERY_PERMANENT_ERROR, AttributeValue.of(true)));
            replyCode(error).ifPresent(code -> copy.setAttribute(new Attribute(Bouncer.DELIVERY_ERROR_CODE, AttributeValue.of(code))));
            mailetContext.sendMail(copy, bounceProcessor);
            LOGGER.info("Mail {} from {}: DSN for {}: {}", mail.getName(), mail.getMaybeSender().asString(), recipients, error);
        } finally {
            LifecycleUtil.dispose(copy);
        }
    }

    private static Optional<Integer> replyCode(String error) {
        Matcher matcher = REPLY_CODE.matcher(error);
        return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
    }
}
