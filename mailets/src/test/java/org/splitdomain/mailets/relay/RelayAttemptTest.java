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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.queue.memory.MemoryMailQueueFactory;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.splitdomain.relay.InProcessWakeClaims;
import org.splitdomain.route.JamesData;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.testing.MemoryRepositories;

import com.google.common.collect.ImmutableMap;

/** One attempt of one mail, with the relays played by a fake: where each recipient ends, whatever fails on the way. */
class RelayAttemptTest {
    private static final RelayHost EAST = RelayHost.parse("mx.east.example.net");
    private static final RelayHost WEST = RelayHost.parse("mx.west.example.net");

    private JamesData james;
    private FakeMailContext context;
    private RelayDeliveryConfiguration configuration;
    private RelayQueue queue;
    private final List<List<MailAddress>> deliveredGroups = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        james = new JamesData()
            .domain("east.com")
            .domain("west.com")
            .domain("local.com")
            .user("alice@local.com")
            .relays("east.com", true, EAST)
            .relays("west.com", true, WEST);
        context = FakeMailContext.defaultContext();
        configuration = RelayDeliveryConfiguration.from(FakeMailetConfig.builder().mailetName("relay")
            .setProperty("delayTime", "2 seconds, 4 seconds").setProperty("maxRetries", "2").build());
        queue = queueOn(MemoryRepositories.create());
    }

    private RelayQueue queueOn(MailRepositoryStore repositories) throws MessagingException {
        RelayQueue relayQueue = new RelayQueue(new MemoryMailQueueFactory(new RawMailQueueItemDecoratorFactory()), repositories,
            new InProcessWakeClaims(), james.routeResolver);
        relayQueue.setUp("relay", configuration, new RelayBouncer(context, "bounces"));
        return relayQueue;
    }

    @AfterEach
    void tearDown() {
        queue.close();
    }

    private RelayAttempt attempt(RelayAttempt.Deliveries deliveries, MailetContext mailetContext) {
        return new RelayAttempt(configuration, james.routeResolver, deliveries, new RelayBouncer(mailetContext, "bounces"), mailetContext,
            new RetryPolicy(configuration), queue, Clock.systemUTC());
    }

    private RelayAttempt.Deliveries answering(RecipientOutcome.Kind east, RecipientOutcome.Kind west) {
        return (mail, relays, recipients, evenRecentlyFailed) -> {
            deliveredGroups.add(recipients);
            RelayHost relay = relays.get(0);
            RecipientOutcome.Kind kind = relay.equals(EAST) ? east : west;
            RecipientOutcome outcome = kind == RecipientOutcome.Kind.DELIVERED ? RecipientOutcome.delivered(relay)
                : kind == RecipientOutcome.Kind.REFUSED ? RecipientOutcome.refused(relay, "550 5.1.1 no such user")
                : RecipientOutcome.deferred(Optional.of(relay), "421 4.3.2 try later");
            return recipients.stream().collect(ImmutableMap.toImmutableMap(recipient -> recipient, recipient -> outcome));
        };
    }

    private static Mail mail(String... recipients) throws MessagingException {
        return FakeMail.builder().name("mail1").sender("sender@external.org").recipients(recipients)
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setText("hello")).build();
    }

    private List<String> waiting() throws MessagingException {
        return queue.mails().stream().flatMap(mail -> mail.getRecipients().stream()).map(MailAddress::asString).collect(Collectors.toList());
    }

    @Test
    void eachRecipientShouldBeDeliveredToTheRelayOfItsDomainInOneGroupPerRelay() throws Exception {
        attempt(answering(RecipientOutcome.Kind.DELIVERED, RecipientOutcome.Kind.DELIVERED), context)
            .run(mail("a@east.com", "b@west.com", "c@east.com"));

        assertThat(deliveredGroups).containsExactly(
            List.of(new MailAddress("a@east.com"), new MailAddress("c@east.com")), List.of(new MailAddress("b@west.com")));
        assertThat(waiting()).isEmpty();
        assertThat(context.getSentMails()).isEmpty();
    }

    @Test
    void onlyTheDeferredRecipientsShouldWaitForTheNextAttempt() throws Exception {
        attempt(answering(RecipientOutcome.Kind.DELIVERED, RecipientOutcome.Kind.DEFERRED), context).run(mail("a@east.com", "b@west.com"));

        assertThat(queue.mails()).singleElement().satisfies(waiting -> {
            assertThat(waiting.getRecipients()).containsExactly(new MailAddress("b@west.com"));
            assertThat(waiting.getRetries()).isEqualTo(1);
            assertThat(waiting.getLastError()).contains("relay mx.west.example.net:25: 421 4.3.2 try later");
        });
    }

    @Test
    void anExceptionAfterOneRelayAcceptedShouldLeaveOnlyTheOtherRecipientsWaiting() throws Exception {
        RelayAttempt.Deliveries failingForWest = (mail, relays, recipients, evenRecentlyFailed) -> {
            if (relays.get(0).equals(WEST)) {
                throw new IllegalStateException("injected failure");
            }
            return answering(RecipientOutcome.Kind.DELIVERED, RecipientOutcome.Kind.DELIVERED).deliver(mail, relays, recipients, false);
        };

        attempt(failingForWest, context).run(mail("a@east.com", "b@west.com"));

        assertThat(queue.mails()).singleElement().satisfies(waiting -> {
            assertThat(waiting.getRecipients()).containsExactly(new MailAddress("b@west.com"));
            assertThat(waiting.getLastError()).hasValueSatisfying(error -> assertThat(error).contains("injected failure"));
        });
    }

    @Test
    void aRecipientHandedBackToJamesWhileItCannotTakeMailShouldWaitAndTheDeliveredOnesNot() throws Exception {
        MailetContext notStarted = mock(MailetContext.class);
        doThrow(new NullPointerException("rootMailQueue is null")).when(notStarted).sendMail(any(Mail.class), eq("transport"));

        attempt(answering(RecipientOutcome.Kind.DELIVERED, RecipientOutcome.Kind.DELIVERED), notStarted).run(mail("a@east.com", "alice@local.com"));

        assertThat(waiting()).containsExactly("alice@local.com");
        assertThat(deliveredGroups).containsExactly(List.of(new MailAddress("a@east.com")));
    }

    @Test
    void aRefusedRecipientWhoseDsnCannotBeSentShouldWaitAndTheDeliveredOnesNot() throws Exception {
        MailetContext failingBounces = mock(MailetContext.class);
        doThrow(new MessagingException("spool down")).when(failingBounces).sendMail(any(Mail.class), eq("bounces"));

        attempt(answering(RecipientOutcome.Kind.DELIVERED, RecipientOutcome.Kind.REFUSED), failingBounces).run(mail("a@east.com", "b@west.com"));

        assertThat(waiting()).containsExactly("b@west.com");
    }

    @Test
    void theLastRetryFailingShouldBounceWith547() throws Exception {
        Mail mail = mail("b@west.com");
        RelayQueueState.stampRetry(mail, 2, "earlier");

        attempt(answering(RecipientOutcome.Kind.DELIVERED, RecipientOutcome.Kind.DEFERRED), context).run(mail);

        assertThat(waiting()).isEmpty();
        assertThat(context.getSentMails()).singleElement().satisfies(bounce -> assertThat((String) bounce.getAttributes()
            .get(org.apache.james.transport.mailets.remote.delivery.Bouncer.DELIVERY_ERROR).getValue().value())
            .startsWith("5.4.7 Delivery to the relay failed 3 times, giving up. Last error: relay mx.west.example.net:25: 421 4.3.2 try later"));
    }

    @Test
    void anAttemptThatAskedNoRelayShouldUseUpNoRetry() throws Exception {
        RelayAttempt.Deliveries notTried = (mail, relays, recipients, evenRecentlyFailed) -> recipients.stream()
            .collect(ImmutableMap.toImmutableMap(recipient -> recipient, recipient -> RecipientOutcome.notTried(relays.get(0), "failed a moment ago")));

        attempt(notTried, context).run(mail("b@west.com"));

        assertThat(queue.mails()).singleElement().satisfies(waiting -> assertThat(waiting.getRetries()).isZero());
    }

    @Test
    void recipientsTheWaitingRoomCannotTakeShouldBeGivenBackToTheCaller() throws Exception {
        MailRepositoryStore brokenStore = MemoryRepositories.refusingToStore();
        queue.close();
        queue = queueOn(brokenStore);

        assertThatThrownBy(() -> attempt(answering(RecipientOutcome.Kind.DELIVERED, RecipientOutcome.Kind.DEFERRED), context)
                .run(mail("a@east.com", "b@west.com")))
            .isInstanceOfSatisfying(RelayAttempt.UnfinishedException.class, unfinished -> {
                assertThat(unfinished.getRecipients()).extracting(MailAddress::asString).containsExactly("b@west.com");
                assertThat(unfinished.getDecision().getDelay()).isEqualTo(Duration.ofSeconds(2));
            });
    }
}
