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
package org.splitdomain.mailets;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.james.core.MailAddress;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.mailet.Mail;
import org.reactivestreams.Publisher;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Queues that keep what is enqueued and never hand it out, so a test sees exactly what would be delivered. */
class RecordingMailQueueFactory implements MailQueueFactory<MailQueue> {
    static final class Enqueued {
        final String name;
        final List<MailAddress> recipients;

        Enqueued(Mail mail) {
            this.name = mail.getName();
            this.recipients = ImmutableList.copyOf(mail.getRecipients());
        }
    }

    private final Map<MailQueueName, RecordingQueue> queues = new ConcurrentHashMap<>();

    List<Enqueued> enqueued(String queueName) {
        return Optional.ofNullable(queues.get(MailQueueName.of(queueName)))
            .map(queue -> ImmutableList.copyOf(queue.mails))
            .orElse(ImmutableList.of());
    }

    @Override
    public Optional<MailQueue> getQueue(MailQueueName name, PrefetchCount count) {
        return Optional.ofNullable(queues.get(name));
    }

    @Override
    public MailQueue createQueue(MailQueueName name, PrefetchCount count) {
        return queues.computeIfAbsent(name, RecordingQueue::new);
    }

    @Override
    public Set<MailQueueName> listCreatedMailQueues() {
        return ImmutableSet.copyOf(queues.keySet());
    }

    private static final class RecordingQueue implements MailQueue {
        private final MailQueueName name;
        private final Collection<Enqueued> mails = new java.util.concurrent.ConcurrentLinkedQueue<>();

        RecordingQueue(MailQueueName name) {
            this.name = name;
        }

        @Override
        public MailQueueName getName() {
            return name;
        }

        @Override
        public void enQueue(Mail mail, Duration delay) {
            mails.add(new Enqueued(mail));
        }

        @Override
        public void enQueue(Mail mail) {
            mails.add(new Enqueued(mail));
        }

        @Override
        public Publisher<Void> enqueueReactive(Mail mail) {
            return Mono.fromRunnable(() -> enQueue(mail));
        }

        @Override
        public Publisher<MailQueueItem> deQueue() {
            return Flux.never();
        }

        @Override
        public void close() {
        }
    }
}
