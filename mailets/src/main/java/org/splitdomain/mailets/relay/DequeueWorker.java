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

import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;

import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.util.MDCBuilder;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Takes due mail from the relay queue, {@code deliveryThreads} at a time, has each attempted, and acknowledges the
 * queue item once every recipient has ended somewhere: a node that dies mid-attempt leaves the item to the queue,
 * which hands it to another node (or to this one after its restart).
 */
public final class DequeueWorker implements Closeable {
    private static final Logger LOGGER = LoggerFactory.getLogger(DequeueWorker.class);
    private static final Duration RESUBSCRIBE_DELAY = Duration.ofSeconds(1);

    private final String mailetName;
    private final RelayDeliveryConfiguration configuration;
    private final RelayQueue queue;
    private final RelayAttempt attempt;
    private final Clock clock;
    private Scheduler deliveryScheduler;
    private Scheduler dequeueScheduler;
    private Disposable dequeue;

    public DequeueWorker(String mailetName, RelayDeliveryConfiguration configuration, RelayQueue queue, RelayAttempt attempt, Clock clock) {
        this.mailetName = mailetName;
        this.configuration = configuration;
        this.queue = queue;
        this.attempt = attempt;
        this.clock = clock;
    }

    public synchronized void start() {
        deliveryScheduler = Schedulers.newBoundedElastic(configuration.getDeliveryThreads(), Integer.MAX_VALUE, "split-domain-relay");
        // Some queues (James's JMS queues) block the subscribing thread while they wait for mail.
        dequeueScheduler = Schedulers.newSingle("split-domain-relay-dequeue");
        dequeue = Flux.defer(() -> Flux.from(queue.queue().deQueue()))
            .flatMap(item -> Mono.fromRunnable(() -> handle(item)).subscribeOn(deliveryScheduler), configuration.getDeliveryThreads())
            // A queue whose stream ends or fails (a broker connection lost) is subscribed to again: delivery never stops for good.
            .repeatWhen(ended -> ended.delayElements(RESUBSCRIBE_DELAY))
            .retryWhen(Retry.fixedDelay(Long.MAX_VALUE, RESUBSCRIBE_DELAY)
                .doBeforeRetry(failure -> LOGGER.error("{}: reading relay queue {} failed; reading it again", mailetName,
                    queue.getQueueName(), failure.failure())))
            .subscribeOn(dequeueScheduler)
            .subscribe();
        LOGGER.info("{}: delivering split-domain mail from queue {} ({} delivery threads, at most {} connections per relay)",
            mailetName, queue.getQueueName(), configuration.getDeliveryThreads(), configuration.getMaxConnectionsPerRelay());
    }

    /** One queue item: attempted, then acknowledged; never thrown out of. */
    public void handle(MailQueue.MailQueueItem item) {
        Mail mail = item.getMail();
        try (Closeable context = MDCBuilder.create()
                 .addToContext("mail", mail.getName())
                 .addToContext("sender", mail.getMaybeSender().asString())
                 .build()) {
            queue.inProgress().attempting(mail, clock.instant());
            try {
                if (queue.admit(mail)) {
                    attempt.run(mail);
                }
                item.done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
            } catch (RelayAttempt.UnfinishedException e) {
                requeueUnfinished(item, mail, e);
            }
        } catch (Exception e) {
            // Not acknowledged: the queue hands the item out again (all its recipients: none of them was finished).
            LOGGER.error("{}: mail {} could not be handled; the queue keeps it", mailetName, mail.getName(), e);
            giveBack(item, mail);
        } finally {
            queue.inProgress().done(mail.getName());
            LifecycleUtil.dispose(mail);
        }
    }

    // The waiting room failed: the recipients left go back to the queue with their delay (which James's RabbitMQ queue
    // ignores: they are then tried again at once). Handing the item back instead would repeat the recipients already done.
    private void requeueUnfinished(MailQueue.MailQueueItem item, Mail mail, RelayAttempt.UnfinishedException unfinished) {
        LOGGER.error("{}: mail {}: {}; they go back to queue {}", mailetName, mail.getName(), unfinished.getMessage(), queue.getQueueName(),
            unfinished.getCause());
        try {
            mail.setRecipients(unfinished.getRecipients());
            queue.queue().enQueue(mail, unfinished.getDecision().getDelay());
            item.done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
        } catch (Exception e) {
            LOGGER.error("{}: mail {} could not be queued again either; the queue keeps it whole", mailetName, mail.getName(), e);
            giveBack(item, mail);
        }
    }

    private void giveBack(MailQueue.MailQueueItem item, Mail mail) {
        try {
            item.done(MailQueue.MailQueueItem.CompletionStatus.RETRY);
        } catch (Exception e) {
            LOGGER.error("{}: mail {} could not be given back to queue {}", mailetName, mail.getName(), queue.getQueueName(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (dequeue != null) {
            dequeue.dispose();
            dequeueScheduler.dispose();
        }
        if (deliveryScheduler != null) {
            deliveryScheduler.disposeGracefully()
                .timeout(Duration.ofSeconds(5))
                .onErrorResume(e -> Mono.empty())
                .block();
        }
    }
}
