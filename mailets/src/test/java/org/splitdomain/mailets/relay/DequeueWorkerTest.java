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

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.queue.memory.MemoryMailQueueFactory;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.splitdomain.relay.InProcessWakeClaims;
import org.splitdomain.route.JamesData;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.testing.MemoryRepositories;

import com.google.common.collect.ImmutableMap;

import reactor.core.publisher.Flux;

/** The worker built without starting anything: one queue item at a time, handed to {@link DequeueWorker#handle}. */
class DequeueWorkerTest {
    private static final RelayHost EAST = RelayHost.parse("mx.east.example.net");
    private static final RelayHost WEST = RelayHost.parse("mx.west.example.net");

    private final FakeMailContext context = FakeMailContext.defaultContext();
    private JamesData james;
    private RelayQueue queue;

    @org.junit.jupiter.api.BeforeEach
    void setUp() throws Exception {
        james = new JamesData().domain("east.com").domain("west.com").relays("east.com", true, EAST).relays("west.com", true, WEST);
    }

    @AfterEach
    void tearDown() {
        queue.close();
    }

    /** A queue item that records how it was acknowledged. */
    private static final class Item implements MailQueue.MailQueueItem {
        private final Mail mail;
        private final List<CompletionStatus> statuses = new ArrayList<>();

        Item(Mail mail) {
            this.mail = mail;
        }

        @Override
        public Mail getMail() {
            return mail;
        }

        @Override
        public void done(CompletionStatus success) {
            statuses.add(success);
        }
    }

    private DequeueWorker worker(MailRepositoryStore repositories) throws MessagingException {
        RelayDeliveryConfiguration configuration = RelayDeliveryConfiguration.from(FakeMailetConfig.builder().mailetName("relay")
            .setProperty("delayTime", "1 second").build());
        queue = new RelayQueue(new MemoryMailQueueFactory(new RawMailQueueItemDecoratorFactory()), repositories, new InProcessWakeClaims(),
            james.routeResolver);
        queue.setUp("relay", configuration, new RelayBouncer(context, "bounces"));
        RelayAttempt.Deliveries westDown = (mail, relays, recipients, evenRecentlyFailed) -> recipients.stream()
            .collect(ImmutableMap.toImmutableMap(recipient -> recipient, recipient -> relays.get(0).equals(WEST)
                ? RecipientOutcome.deferred(Optional.of(WEST), "421 try later") : RecipientOutcome.delivered(relays.get(0))));
        RelayAttempt attempt = new RelayAttempt(configuration, james.routeResolver, westDown, new RelayBouncer(context, "bounces"), context,
            new RetryPolicy(configuration), queue, Clock.systemUTC());
        return new DequeueWorker("relay", configuration, queue, attempt, Clock.systemUTC());
    }

    private static Mail mail() throws MessagingException {
        return FakeMail.builder().name("mail1").sender("sender@external.org").recipients("a@east.com", "b@west.com")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setText("hello")).build();
    }

    @Test
    void handleShouldAcknowledgeTheItemOnceEveryRecipientEndedSomewhere() throws Exception {
        DequeueWorker worker = worker(MemoryRepositories.create());
        Item item = new Item(mail());

        worker.handle(item);

        assertThat(item.statuses).containsExactly(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
        assertThat(queue.inProgress().mails()).isEmpty();
        assertThat(queue.mails()).singleElement().satisfies(waiting -> assertThat(waiting.getRecipients()).containsExactly(new MailAddress("b@west.com")));
    }

    @Test
    void recipientsTheWaitingRoomCannotTakeShouldGoBackToTheQueueWithoutTheDeliveredOnes() throws Exception {
        MailRepositoryStore brokenStore = MemoryRepositories.refusingToStore();
        DequeueWorker worker = worker(brokenStore);
        Item item = new Item(mail());

        worker.handle(item);

        assertThat(item.statuses).containsExactly(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
        Mail requeued = Flux.from(queue.queue().deQueue()).blockFirst(Duration.ofSeconds(10)).getMail();
        assertThat(requeued.getRecipients()).containsExactly(new MailAddress("b@west.com"));
    }
}
