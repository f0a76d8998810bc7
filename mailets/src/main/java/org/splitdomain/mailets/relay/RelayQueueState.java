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

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

import com.google.common.collect.ImmutableList;

/**
 * What the relay engine knows of a mail on its way: the facts that travel with the mail as attributes (when it was
 * first queued, the retries it used, the last error; all JSON-serialisable, as James's RabbitMQ queue needs), and the
 * mails this node is attempting right now, which neither the queue nor the waiting room lists while they are tried.
 */
public final class RelayQueueState {
    static final AttributeName SINCE = AttributeName.of("split-domain-relay-since");
    static final AttributeName RETRIES = AttributeName.of("split-domain-relay-retries");
    static final AttributeName LAST_ERROR = AttributeName.of("split-domain-relay-last-error");
    /** Set on a mail the operator made due: its attempt asks every relay, even one this node remembers as failed. */
    static final AttributeName RETRY_NOW = AttributeName.of("split-domain-relay-retry-now");
    /** Set on a mail moved from the waiting room to the queue: the key of the stay it comes from. */
    static final AttributeName WOKEN_FROM = AttributeName.of("split-domain-relay-woken-from");

    /** One waiting mail. */
    public static final class QueuedMail {
        private final String name;
        private final MaybeSender sender;
        private final ImmutableList<MailAddress> recipients;
        private final Instant since;
        private final int retries;
        private final Optional<String> lastError;
        private final Instant nextAttempt;

        private QueuedMail(String name, MaybeSender sender, Collection<MailAddress> recipients, Instant since, int retries,
                           Optional<String> lastError, Instant nextAttempt) {
            this.name = name;
            this.sender = sender;
            this.recipients = ImmutableList.copyOf(recipients);
            this.since = since;
            this.retries = retries;
            this.lastError = lastError;
            this.nextAttempt = nextAttempt;
        }

        public String getName() {
            return name;
        }

        public MaybeSender getSender() {
            return sender;
        }

        public List<MailAddress> getRecipients() {
            return recipients;
        }

        /** When the mail first entered the relay queue. */
        public Instant getSince() {
            return since;
        }

        /** Attempts made so far beyond the first: the next attempt is retry {@code retries + 1}. */
        public int getRetries() {
            return retries;
        }

        public Optional<String> getLastError() {
            return lastError;
        }

        public Instant getNextAttempt() {
            return nextAttempt;
        }
    }

    static Instant since(Mail mail, Instant now) {
        return AttributeUtils.getValueAndCastFromMail(mail, SINCE, Long.class).map(Instant::ofEpochMilli).orElse(now);
    }

    /** What a listing shows of this mail, due at {@code nextAttempt}. */
    static QueuedMail describe(Mail mail, Instant now, Instant nextAttempt) {
        return new QueuedMail(mail.getName(), mail.getMaybeSender(), mail.getRecipients(), since(mail, now), retries(mail), lastError(mail),
            nextAttempt);
    }

    static boolean isRetryNow(Mail mail) {
        return AttributeUtils.getValueAndCastFromMail(mail, RETRY_NOW, Boolean.class).orElse(false);
    }

    static Optional<String> wokenFrom(Mail mail) {
        return AttributeUtils.getValueAndCastFromMail(mail, WOKEN_FROM, String.class);
    }

    static void stampWokenFrom(Mail mail, String stayKey) {
        mail.setAttribute(new Attribute(WOKEN_FROM, AttributeValue.of(stayKey)));
    }

    static void stampRetryNow(Mail mail) {
        mail.setAttribute(new Attribute(RETRY_NOW, AttributeValue.of(true)));
    }

    static int retries(Mail mail) {
        return AttributeUtils.getValueAndCastFromMail(mail, RETRIES, Integer.class).orElse(0);
    }

    static Optional<String> lastError(Mail mail) {
        return AttributeUtils.getValueAndCastFromMail(mail, LAST_ERROR, String.class);
    }

    /** Stamps a mail entering the relay queue for the first time. */
    static void stampFirstQueued(Mail mail, Instant now) {
        if (mail.getAttribute(SINCE).isEmpty()) {
            mail.setAttribute(new Attribute(SINCE, AttributeValue.of(now.toEpochMilli())));
        }
    }

    static void stampRetry(Mail mail, int retries, String lastError) {
        mail.setAttribute(new Attribute(RETRIES, AttributeValue.of(retries)));
        mail.setAttribute(new Attribute(LAST_ERROR, AttributeValue.of(lastError)));
    }

    /** Leaves our marks off a mail that goes back to James's processing or to the sender. */
    static void unstamp(Mail mail) {
        mail.removeAttribute(SINCE);
        mail.removeAttribute(RETRIES);
        mail.removeAttribute(LAST_ERROR);
        mail.removeAttribute(RETRY_NOW);
        mail.removeAttribute(WOKEN_FROM);
    }

    private final Map<String, QueuedMail> mails = new ConcurrentHashMap<>();

    /** The mail is being attempted on this node from {@code now}. */
    void attempting(Mail mail, Instant now) {
        mails.put(mail.getName(), describe(mail, now, now));
    }

    /** Its attempt ended: the mail is delivered, bounced, handed back, or waits in the waiting room. */
    void done(String name) {
        mails.remove(name);
    }

    public Optional<QueuedMail> mail(String name) {
        return Optional.ofNullable(mails.get(name));
    }

    public List<QueuedMail> mails() {
        return ImmutableList.copyOf(mails.values());
    }
}
