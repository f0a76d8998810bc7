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

import java.time.Duration;
import java.time.Instant;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.james.core.MailAddress;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.queue.memory.MemoryMailQueueFactory;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.splitdomain.relay.InProcessWakeClaims;
import org.splitdomain.route.JamesData;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.testing.SettableClock;
import org.splitdomain.testing.MemoryRepositories;

import com.google.common.util.concurrent.Uninterruptibles;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The relay queue without any delivery: what waits where, what comes due, what the operator's calls do. */
class RelayQueueTest {
    private static final RelayHost WEST = RelayHost.parse("mx.west.example.net");

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private JamesData james;
    private MailRepositoryStore repositories;
    private InProcessWakeClaims claims;
    private FakeMailContext context;
    private RelayQueue queue;

    @BeforeEach
    void setUp() throws Exception {
        james = new JamesData().domain("west.com").relays("west.com", true, WEST);
        repositories = MemoryRepositories.create();
        claims = new InProcessWakeClaims(clock);
        context = FakeMailContext.defaultContext();
        queue = newQueue();
    }

    private RelayQueue newQueue() throws Exception {
        return newQueue(new MemoryMailQueueFactory(new RawMailQueueItemDecoratorFactory()), RelayQueue.ENQUEUE_TIMEOUT);
    }

    private RelayQueue newQueue(MailQueueFactory<?> queues, Duration enqueueTimeout) throws Exception {
        RelayQueue relayQueue = new RelayQueue(queues, repositories, claims, james.routeResolver, clock, enqueueTimeout);
        relayQueue.setUp("relay", RelayDeliveryConfiguration.from(FakeMailetConfig.builder().mailetName("relay").build()),
            new RelayBouncer(context, "bounces"));
        return relayQueue;
    }

    @AfterEach
    void tearDown() {
        queue.close();
    }

    private static Mail mail(String name) throws Exception {
        return FakeMail.builder()
            .name(name)
            .sender("sender@external.org")
            .recipients("somebody@west.com")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setSubject(name).setText("hello"))
            .build();
    }

    private List<String> queued() {
        return Flux.from(queue.queue().deQueue())
            .take(Duration.ofMillis(300))
            .map(item -> item.getMail().getName())
            .collectList()
            .block();
    }

    @Test
    void aParkedMailShouldComeBackToTheQueueOnlyOnceDue() throws Exception {
        queue.park(mail("mail1"), clock.instant().plusSeconds(4));

        assertThat(queue.wakeDue().block()).isZero();
        clock.advance(Duration.ofSeconds(4));
        assertThat(queue.wakeDue().block()).isEqualTo(1);

        assertThat(queued()).containsExactly("mail1");
        assertThat(queue.wakeDue().block()).isZero();
    }

    @Test
    void twoNodesSharingTheWaitingRoomShouldWakeAMailOnce() throws Exception {
        RelayQueue otherNode = newQueue();
        queue.park(mail("mail2"), clock.instant());

        assertThat(otherNode.wakeDue().block() + queue.wakeDue().block()).isEqualTo(1);
        otherNode.close();
    }

    @Test
    void aCopyOfAMailThatWaitsInTheWaitingRoomShouldNotBeAttempted() throws Exception {
        // The queue handed out again the item whose attempt had put the mail in the waiting room.
        Mail queuedAgain = mail("parked");
        queue.park(mail("parked"), clock.instant().plusSeconds(60));

        assertThat(queue.admit(queuedAgain)).isFalse();
        assertThat(queue.mails()).singleElement().satisfies(waiting -> assertThat(waiting.getName()).isEqualTo("parked"));
    }

    @Test
    void theCopyWokenFromAStayShouldBeAttemptedAndASecondCopyOfItNot() throws Exception {
        queue.park(mail("twice"), clock.instant());
        queue.wakeDue().block();
        Mail woken = Flux.from(queue.queue().deQueue()).blockFirst(Duration.ofSeconds(5)).getMail();
        Mail secondCopy = mail("twice");
        RelayQueueState.stampWokenFrom(secondCopy, "wait-1-abcdefghij-twice");

        assertThat(queue.admit(woken)).isTrue();
        assertThat(queue.admit(mail("fresh"))).isTrue();
        queue.park(woken, clock.instant().plusSeconds(60));
        assertThat(queue.admit(secondCopy)).isFalse();
    }

    @Test
    void admittingAWokenMailShouldTakeItsStayOutOfTheWaitingRoomIfTheWakeLeftItThere() throws Exception {
        RelayWaitingRoom.Entry entry = queue.park(mail("left"), clock.instant());
        Mail woken = mail("left");
        RelayQueueState.stampWokenFrom(woken, entry.getKey().asString());

        assertThat(queue.admit(woken)).isTrue();

        assertThat(queue.mails()).isEmpty();
    }

    @Test
    void retryAllShouldMakeEveryWaitingMailDueAndCountThem() throws Exception {
        for (int i = 0; i < 30; i++) {
            queue.park(mail("waiting" + i), clock.instant().plus(Duration.ofHours(1)));
        }

        assertThat(queue.retryAll()).isEqualTo(30);

        assertThat(queue.mails()).hasSize(30).allSatisfy(mail -> assertThat(mail.getNextAttempt()).isEqualTo(clock.instant()));
        assertThat(queue.retryAll()).isZero();
    }

    @Test
    void retryMailShouldWakeThatMailOnly() throws Exception {
        queue.park(mail("first"), clock.instant().plus(Duration.ofHours(1)));
        queue.park(mail("second"), clock.instant().plus(Duration.ofHours(1)));

        assertThat(queue.retryMail("first")).isTrue();
        assertThat(queue.retryMail("nothing-of-that-name")).isFalse();

        assertThat(queued()).containsExactly("first");
        assertThat(queue.mail("second")).hasValueSatisfying(waiting -> assertThat(waiting.getNextAttempt()).isEqualTo(clock.instant().plus(Duration.ofHours(1))));
    }

    @Test
    void aMailWokenByTheOperatorShouldAskEvenARelayThatJustFailed() throws Exception {
        queue.park(mail("urgent"), clock.instant().plus(Duration.ofHours(1)));

        queue.retryMail("urgent");

        Mail woken = Flux.from(queue.queue().deQueue()).blockFirst(Duration.ofSeconds(5)).getMail();
        assertThat(RelayQueueState.isRetryNow(woken)).isTrue();
    }

    @Test
    void removeWithDsnShouldTakeTheMailOutAndBounceIt() throws Exception {
        queue.park(mail("unwanted"), clock.instant().plus(Duration.ofHours(1)));

        assertThat(queue.removeWithDsn("unwanted", "5.0.0 removed")).hasValue(List.of(new MailAddress("somebody@west.com")));

        assertThat(queue.mails()).isEmpty();
        assertThat(context.getSentMails()).singleElement().satisfies(bounce -> assertThat(bounce.getState()).isEqualTo("bounces"));
        assertThat(queue.removeWithDsn("unwanted", "5.0.0 removed")).isEmpty();
    }

    @Test
    void theListingShouldHoldMailDueWaitingAndBeingAttemptedEachOnce() throws Exception {
        queue.enqueue(mail("due"));
        queue.park(mail("waiting"), clock.instant().plus(Duration.ofMinutes(5)));
        Mail attempted = mail("attempted");
        queue.inProgress().attempting(attempted, clock.instant());

        assertThat(queue.mails()).extracting(RelayQueueState.QueuedMail::getName).containsExactlyInAnyOrder("due", "waiting", "attempted");
        assertThat(queue.backlog()).singleElement().satisfies(backlog -> {
            assertThat(backlog.getRelay()).isEqualTo(WEST.asString());
            assertThat(backlog.getMails()).isEqualTo(3);
        });
    }

    @Test
    void aMailWhoseEnqueueStallsShouldHoldNeitherTheOtherMailsNorTheNextLookAndBeWokenOnceWhenItsClaimLapses() throws Exception {
        StallingQueues queues = new StallingQueues("stuck");
        RelayQueue node = newQueue(queues, Duration.ofSeconds(3));
        node.park(mail("stuck"), clock.instant());
        List<String> others = IntStream.range(0, 10).mapToObj(i -> "due" + i).collect(Collectors.toList());
        for (String other : others) {
            node.park(mail(other), clock.instant());
        }

        CompletableFuture<Long> firstLook = node.wakeDue().toFuture();
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(queues.enqueued()).containsExactlyInAnyOrderElementsOf(others));
        // The next look leaves the stalled mail to the wake under way, and does not wait for it.
        assertThat(node.wakeDue().block(Duration.ofSeconds(10))).isZero();
        assertThat(firstLook).isNotDone();

        // The stalled enqueue is given up: the mail still waits, and no node wakes it while the claim holds.
        assertThat(firstLook.get(10, TimeUnit.SECONDS)).isEqualTo(others.size());
        assertThat(node.mails()).extracting(RelayQueueState.QueuedMail::getName).containsExactly("stuck");
        queues.stalled.set(false);
        assertThat(node.wakeDue().block()).isZero();
        clock.advance(RelayQueue.CLAIM_HOLD.plusSeconds(1));
        assertThat(node.wakeDue().block()).isEqualTo(1);

        assertThat(queues.enqueued()).filteredOn("stuck"::equals).hasSize(1);
        assertThat(node.mails()).extracting(RelayQueueState.QueuedMail::getName).doesNotContain("stuck");
        node.close();
    }

    @Test
    void wakingShouldNotNeedReactorsSharedThreads() throws Exception {
        queue.park(mail("while-busy"), clock.instant());
        CountDownLatch release = new CountDownLatch(1);
        // Every shared thread busy, as James's RabbitMQ queue, health checks and the like can keep them.
        for (int i = 0; i < Schedulers.DEFAULT_BOUNDED_ELASTIC_SIZE; i++) {
            Schedulers.boundedElastic().schedule(() -> Uninterruptibles.awaitUninterruptibly(release));
        }
        try {
            assertThat(queue.wakeDue().block(Duration.ofSeconds(10))).isEqualTo(1);
        } finally {
            release.countDown();
        }
        assertThat(queued()).containsExactly("while-busy");
    }

    /** A queue whose enqueue of the named mails never ends while {@code stalled}, as a broker that stopped answering. */
    private static final class StallingQueues implements MailQueueFactory<MailQueue> {
        private final String stalledMail;
        private final AtomicBoolean stalled = new AtomicBoolean(true);
        private final List<String> enqueued = new CopyOnWriteArrayList<>();
        private final MemoryMailQueueFactory memory = new MemoryMailQueueFactory(new RawMailQueueItemDecoratorFactory());

        private StallingQueues(String stalledMail) {
            this.stalledMail = stalledMail;
        }

        List<String> enqueued() {
            return enqueued;
        }

        @Override
        public Optional<MailQueue> getQueue(MailQueueName name, PrefetchCount count) {
            return Optional.empty();
        }

        @Override
        public MailQueue createQueue(MailQueueName name, PrefetchCount count) {
            MailQueue queue = memory.createQueue(name, count);
            return new MailQueue() {
                @Override
                public MailQueueName getName() {
                    return name;
                }

                @Override
                public void enQueue(Mail mail, Duration delay) throws MailQueueException {
                    queue.enQueue(mail, delay);
                }

                @Override
                public void enQueue(Mail mail) throws MailQueueException {
                    queue.enQueue(mail);
                }

                @Override
                public Publisher<Void> enqueueReactive(Mail mail) {
                    if (stalled.get() && mail.getName().equals(stalledMail)) {
                        return Mono.never();
                    }
                    return Mono.from(queue.enqueueReactive(mail)).doOnSuccess(done -> enqueued.add(mail.getName()));
                }

                @Override
                public Publisher<MailQueueItem> deQueue() {
                    return queue.deQueue();
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public Set<MailQueueName> listCreatedMailQueues() {
            return memory.listCreatedMailQueues();
        }
    }
}
