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

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.settings.RelayHost;

import com.google.common.collect.ImmutableList;

/**
 * Exim's immediate delivery, for the relay: the thread of James's spool that runs the mailet delivers the mail to its
 * relays at once, over a connection the relay has ready, and only what is not delivered goes on to the relay queue. The
 * mail stays in James's spool meanwhile (the spool acknowledges it once the mailet returns): a crash in the middle hands it
 * out again, as the relay queue would. What it saves is the relay queue's copy of every message and the hand-over to
 * another thread, most of what relaying cost beyond James taking the mail in.
 *
 * <p>The spool is guarded: at most {@code immediateDeliveryThreads} of its threads deliver at once, they never wait for a
 * connection, and they only talk to relays that answered quickly lately ({@link RelayPace}). A relay that is unknown,
 * failing, slow or silent gets its mail through the relay queue, whose own threads wait for it, and local delivery keeps
 * the rest of the spool.</p>
 *
 * <p>Each recipient ends as after a queued attempt: delivered; refused, with a DSN; deferred, in the waiting room until
 * its first retry; or, when no relay could be asked now, due in the relay queue at once.</p>
 */
public final class ImmediateDelivery {
    private static final Logger LOGGER = LoggerFactory.getLogger(ImmediateDelivery.class);

    private final Semaphore spoolThreads;
    private final RelaySender sender;
    private final RelayAttempt attempt;
    private final RelayQueue queue;
    private final Clock clock;

    public ImmediateDelivery(int spoolThreads, RelaySender sender, RelayAttempt attempt, RelayQueue queue, Clock clock) {
        this.spoolThreads = new Semaphore(spoolThreads);
        this.sender = sender;
        this.attempt = attempt;
        this.queue = queue;
        this.clock = clock;
    }

    /**
     * Delivers the mail's recipients that the relays take now ({@code byRelays}: the recipients by the relays their route
     * decided); every other recipient of the mail ends in the relay queue or its waiting room, or gets its DSN. The caller
     * leaves the mail, which holds the recipients left, once this returns.
     */
    public void deliver(Mail mail, Map<List<RelayHost>, List<MailAddress>> byRelays) throws MessagingException {
        Map<MailAddress, RecipientOutcome> outcomes = byRelays.isEmpty() ? Map.of() : deliverNow(mail, byRelays);
        List<MailAddress> recipients = ImmutableList.copyOf(mail.getRecipients());
        List<MailAddress> notTried = recipients.stream()
            .filter(recipient -> !outcomes.containsKey(recipient))
            .collect(ImmutableList.toImmutableList());
        List<MailAddress> answered = recipients.stream()
            .filter(recipient -> outcomes.containsKey(recipient) && outcomes.get(recipient).getKind() != RecipientOutcome.Kind.DELIVERED)
            .collect(ImmutableList.toImmutableList());
        if (!notTried.isEmpty()) {
            mail.setRecipients(notTried);
            queue.enqueue(mail);
            LOGGER.debug("Mail {}: {} not delivered at once, queued in {}", mail.getName(), notTried, queue.getQueueName());
        }
        if (!answered.isEmpty()) {
            mail.setRecipients(answered);
            try {
                attempt.settle(mail, outcomes);
            } catch (RelayAttempt.UnfinishedException e) {
                LOGGER.error("Mail {}: {}; they go to queue {}", mail.getName(), e.getMessage(), queue.getQueueName(), e.getCause());
                mail.setRecipients(e.getRecipients());
                queue.enqueue(mail);
            }
        }
    }

    private Map<MailAddress, RecipientOutcome> deliverNow(Mail mail, Map<List<RelayHost>, List<MailAddress>> byRelays) {
        if (!spoolThreads.tryAcquire()) {
            return Map.of();
        }
        Map<MailAddress, RecipientOutcome> outcomes = new LinkedHashMap<>();
        queue.inProgress().attempting(mail, clock.instant());
        try {
            for (Map.Entry<List<RelayHost>, List<MailAddress>> group : byRelays.entrySet()) {
                outcomes.putAll(sender.deliverNow(mail, group.getKey(), group.getValue()));
            }
        } catch (RuntimeException e) {
            // What a relay took stays taken; the others go to the relay queue.
            LOGGER.error("Mail {} from {}: its delivery at once failed unexpectedly; the recipients not delivered go to queue {}",
                mail.getName(), mail.getMaybeSender().asString(), queue.getQueueName(), e);
        } finally {
            queue.inProgress().done(mail.getName());
            spoolThreads.release();
        }
        return outcomes;
    }
}
