package org.splitdomain.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.splitdomain.route.JamesData.PARTNER;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.dnsservice.api.InMemoryDNSService;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.queue.memory.MemoryMailQueueFactory;
import org.apache.james.transport.mailets.remote.delivery.Bouncer;
import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;
import org.apache.mailet.ProcessingState;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.splitdomain.mailets.relay.LoopMarker;
import org.splitdomain.route.JamesData;
import org.splitdomain.settings.RelayHost;

import com.google.common.collect.ImmutableList;

class SplitDomainRemoteDeliveryTest {
    private static final RelayHost WEST = RelayHost.parse("mx.west.example.net");

    private JamesData james;
    private RecordingMailQueueFactory queues;
    private RecordingMetricFactory metrics;
    private SplitDomainRemoteDelivery mailet;

    @BeforeEach
    void setUp() throws Exception {
        james = new JamesData()
            .domain("example.com")
            .domain("west.com")
            .user("alice@example.com")
            .user("bob@example.com")
            .relays("example.com", false, PARTNER)
            .relays("west.com", true, WEST)
            .thirdParty("bob@example.com");
        queues = new RecordingMailQueueFactory();
        metrics = new RecordingMetricFactory();
        mailet = new SplitDomainRemoteDelivery(james.routeResolver, james.store, new InMemoryDNSService(),
            james.domainList, queues, metrics);
    }

    @AfterEach
    void tearDown() {
        mailet.destroy();
    }

    private void init(FakeMailetConfig.Builder config) throws MessagingException {
        mailet.init(config.mailetName("SplitDomainRemoteDelivery").mailetContext(FakeMailContext.defaultContext()).build());
    }

    @Test
    void serviceShouldQueueEachRecipientForItsDomainsRelays() throws Exception {
        init(FakeMailetConfig.builder());
        Mail mail = FakeMail.builder()
            .name("mail1")
            .sender("sender@external.org")
            .recipients("bob@example.com", "nobody@west.com", "somebody@west.com")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setSubject("relay me"))
            .build();

        mailet.service(mail);

        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(queues.enqueued("split-domain-relay-partner.example.net-2525")).singleElement().satisfies(queued -> {
            assertThat(queued.recipients).containsExactly(new MailAddress("bob@example.com"));
            assertThat(queued.name).isEqualTo("mail1-to-partner.example.net-2525");
        });
        assertThat(queues.enqueued("split-domain-relay-mx.west.example.net-25")).singleElement()
            .satisfies(queued -> assertThat(queued.recipients)
                .containsExactly(new MailAddress("nobody@west.com"), new MailAddress("somebody@west.com")));
        assertThat(metrics.countFor("splitDomainRelayedRecipients")).isEqualTo(3);
    }

    @Test
    void serviceShouldSendRecipientsWithoutRelayToTheUnroutableProcessor() throws Exception {
        init(FakeMailetConfig.builder().setProperty("unroutableProcessor", "relay-lost"));
        Mail mail = FakeMail.builder()
            .name("mail2")
            .recipients("bob@example.com", "alice@example.com")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setSubject("relay me"))
            .build();

        mailet.service(mail);

        assertThat(mail.getState()).isEqualTo("relay-lost");
        assertThat(mail.getRecipients()).containsExactly(new MailAddress("alice@example.com"));
        assertThat(queues.enqueued("split-domain-relay-partner.example.net-2525")).hasSize(1);
        assertThat(metrics.countFor("splitDomainUnroutableRecipients")).isEqualTo(1);
    }

    @Test
    void initShouldStartTheQueuesOfEveryConfiguredRelayList() throws Exception {
        init(FakeMailetConfig.builder().setProperty("outgoingPrefix", "relay"));

        assertThat(queues.listCreatedMailQueues())
            .extracting(name -> name.asString())
            .containsExactlyInAnyOrder("relay-partner.example.net-2525", "relay-mx.west.example.net-25");
    }

    @Test
    void initShouldRejectParametersItDoesNotKnow() {
        assertThatThrownBy(() -> init(FakeMailetConfig.builder().setProperty("gateway", "mx.example.net")))
            .isInstanceOf(MessagingException.class)
            .hasMessageContaining("gateway");
    }

    @Test
    void initShouldRejectAMisspeltParameter() {
        assertThatThrownBy(() -> init(FakeMailetConfig.builder().setProperty("maxRetry", "3")))
            .isInstanceOf(MessagingException.class)
            .hasMessageContaining("maxRetry");
    }

    @Test
    void serviceShouldFollowSettingsChangedAfterInit() throws Exception {
        init(FakeMailetConfig.builder());
        james.relays("example.com", false, RelayHost.parse("new-partner.example.net"));
        Mail mail = FakeMail.builder()
            .name("mail3")
            .recipients("bob@example.com")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setSubject("relay me"))
            .build();

        mailet.service(mail);

        assertThat(queues.enqueued("split-domain-relay-new-partner.example.net-25")).hasSize(1);
        assertThat(james.store.domainRouting(Domain.of("example.com"))).isPresent();
    }

    @Test
    void serviceShouldReturnARecipientThatCameBackWithOurMarkToTheSenderAsALoop() throws Exception {
        FakeMailContext context = FakeMailContext.defaultContext();
        mailet.init(FakeMailetConfig.builder().mailetName("SplitDomainRemoteDelivery").mailetContext(context)
            .setProperty("loopSecret", "a-secret-of-at-least-16-chars").build());
        MimeMessage message = MimeMessageBuilder.mimeMessageBuilder().setSubject("around").build();
        message.setHeader("Message-ID", "<loop@test>");
        LoopMarker.withSecret("a-secret-of-at-least-16-chars").mark(message, ImmutableList.of(new MailAddress("nobody@west.com")));
        Mail mail = FakeMail.builder()
            .name("mail4")
            .sender("alice@example.com")
            .recipients("nobody@west.com", "bob@example.com")
            .mimeMessage(message)
            .build();

        mailet.service(mail);

        assertThat(context.getSentMails()).singleElement().satisfies(sent -> {
            assertThat(sent.getState()).isEqualTo("bounces");
            assertThat(sent.getRecipients()).containsExactly(new MailAddress("nobody@west.com"));
            assertThat(sent.getAttributes().get(Bouncer.DELIVERY_ERROR).getValue().value().toString())
                .startsWith("5.4.6 Routing loop detected");
        });
        assertThat(queues.enqueued("split-domain-relay-mx.west.example.net-25")).isEmpty();
        assertThat(queues.enqueued("split-domain-relay-partner.example.net-2525")).hasSize(1);
        assertThat(metrics.countFor("splitDomainLoopRecipients")).isEqualTo(1);
    }
    @Test
    void initShouldNameTheMailetAndAnUnknownParameter() {
        assertThatThrownBy(() -> init(FakeMailetConfig.builder().setProperty("outgoingQueue", "relay")))
            .isInstanceOf(MessagingException.class)
            .hasMessageStartingWith("SplitDomainRemoteDelivery: Unexpected init parameters found: [outgoingQueue]")
            .hasMessageContaining("known parameters: [")
            .hasMessageContaining("outgoingPrefix");
    }

    @Test
    void initShouldAcceptTheErrorHandlingParametersOfEveryMailet() throws Exception {
        init(FakeMailetConfig.builder().setProperty("onMailetException", "ignore"));

        assertThat(mailet.requiredProcessingState())
            .extracting(ProcessingState::getValue)
            .containsExactlyInAnyOrder("bounces", "error");
    }

    @Test
    void initShouldRejectABadDeliveryParameter() {
        assertThatThrownBy(() -> init(FakeMailetConfig.builder().setProperty("maxRetries", "-1")))
            .isInstanceOf(MessagingException.class)
            .hasMessage("SplitDomainRemoteDelivery: 'maxRetries' must be a whole number, 0 or more, got '-1'");
    }

    @Test
    void requiredProcessingStateShouldNameTheConfiguredProcessors() throws Exception {
        init(FakeMailetConfig.builder()
            .setProperty("bounceProcessor", "relay-bounces")
            .setProperty("unroutableProcessor", "relay-lost"));

        assertThat(mailet.requiredProcessingState())
            .extracting(ProcessingState::getValue)
            .containsExactlyInAnyOrder("relay-bounces", "relay-lost");
    }

    @Test
    void serviceShouldQueueRecipientsOfDomainsSharingRelaysInOneMail() throws Exception {
        james.domain("east.com").relays("east.com", true, WEST);
        init(FakeMailetConfig.builder());
        Mail mail = FakeMail.builder()
            .name("mail5")
            .recipients("nobody@west.com", "nobody@east.com")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setSubject("relay me"))
            .build();

        mailet.service(mail);

        assertThat(queues.enqueued("split-domain-relay-mx.west.example.net-25")).singleElement()
            .satisfies(queued -> assertThat(queued.recipients)
                .containsExactly(new MailAddress("nobody@west.com"), new MailAddress("nobody@east.com")));
    }

    @Test
    void serviceShouldRelayAnAliasOfAThirdPartyUserUnchanged() throws Exception {
        james.alias("robert@example.com", "bob@example.com");
        init(FakeMailetConfig.builder());
        Mail mail = FakeMail.builder()
            .name("mail6")
            .recipients("robert@example.com")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setSubject("relay me"))
            .build();

        mailet.service(mail);

        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(queues.enqueued("split-domain-relay-partner.example.net-2525")).singleElement()
            .satisfies(queued -> assertThat(queued.recipients).containsExactly(new MailAddress("robert@example.com")));
    }

    @Test
    void serviceShouldSendAMailWithoutAnyRelayableRecipientWholeToTheUnroutableProcessor() throws Exception {
        init(FakeMailetConfig.builder());
        Mail mail = FakeMail.builder()
            .name("mail7")
            .recipients("alice@example.com", "someone@elsewhere.org")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setSubject("relay me"))
            .build();

        mailet.service(mail);

        assertThat(mail.getState()).isEqualTo("error");
        assertThat(mail.getRecipients())
            .containsExactly(new MailAddress("alice@example.com"), new MailAddress("someone@elsewhere.org"));
        assertThat(queues.enqueued("split-domain-relay-partner.example.net-2525")).isEmpty();
        assertThat(queues.enqueued("split-domain-relay-mx.west.example.net-25")).isEmpty();
        assertThat(metrics.countFor("splitDomainRelayedRecipients")).isZero();
    }

    @Test
    void serviceShouldGiveEachQueuedMailItsOwnNamePerRelay() throws Exception {
        init(FakeMailetConfig.builder());
        Mail mail = FakeMail.builder()
            .name("mail8")
            .recipients("bob@example.com", "nobody@west.com")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setSubject("relay me"))
            .build();

        mailet.service(mail);

        assertThat(queues.enqueued("split-domain-relay-partner.example.net-2525"))
            .extracting(queued -> queued.name)
            .containsExactly("mail8-to-partner.example.net-2525");
        assertThat(queues.enqueued("split-domain-relay-mx.west.example.net-25"))
            .extracting(queued -> queued.name)
            .containsExactly("mail8-to-mx.west.example.net-25");
    }

    /**
     * The same mailet on James's own memory mail queue, with James's RemoteDelivery threads running: a relay
     * that refuses connections leaves each mail in its relay's queue, waiting for a retry, and nothing is bounced.
     */
    @Nested
    class OnJamesMemoryQueues {
        private MemoryMailQueueFactory memoryQueues;
        private FakeMailContext context;
        private SplitDomainRemoteDelivery deliveringMailet;
        private RelayHost deadRelay;
        private RelayHost otherDeadRelay;

        @BeforeEach
        void setUpDeliveringMailet() throws Exception {
            deadRelay = RelayHost.of("127.0.0.1", closedPort());
            otherDeadRelay = RelayHost.of("127.0.0.1", closedPort());
            james.relays("example.com", false, deadRelay)
                .relays("west.com", true, otherDeadRelay);
            memoryQueues = new MemoryMailQueueFactory(new RawMailQueueItemDecoratorFactory());
            context = FakeMailContext.defaultContext();
            deliveringMailet = new SplitDomainRemoteDelivery(james.routeResolver, james.store, new InMemoryDNSService(),
                james.domainList, memoryQueues, new RecordingMetricFactory());
            deliveringMailet.init(FakeMailetConfig.builder()
                .mailetName("SplitDomainRemoteDelivery")
                .mailetContext(context)
                .setProperty("delayTime", "1 hour")
                .setProperty("maxRetries", "3")
                .setProperty("connectiontimeout", "5000")
                .setProperty("timeout", "5000")
                .build());
        }

        @AfterEach
        void tearDownDeliveringMailet() {
            deliveringMailet.destroy();
        }

        private int closedPort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }

        private List<Mail> waitingIn(RelayHost relay) throws Exception {
            String queueName = "split-domain-relay-127.0.0.1-" + relay.getPort();
            ManageableMailQueue queue = memoryQueues.getQueue(MailQueueName.of(queueName)).orElseThrow();
            ImmutableList.Builder<Mail> mails = ImmutableList.builder();
            ManageableMailQueue.MailQueueIterator iterator = queue.browse();
            try {
                iterator.forEachRemaining(item -> mails.add(item.getMail()));
            } finally {
                iterator.close();
            }
            return mails.build();
        }

        private boolean waitsForARetry(Mail mail) {
            return mail.getAttribute(AttributeName.of("delivery_retry_count"))
                .map(attribute -> Integer.valueOf(1).equals(attribute.getValue().value()))
                .orElse(false);
        }

        @Test
        void serviceShouldKeepEachMailQueuedForItsRelayWhenTheRelayIsDown() throws Exception {
            Mail mail = FakeMail.builder()
                .name("mail9")
                .state("split-domain-relay")
                .sender("sender@external.org")
                .recipients("bob@example.com", "nobody@west.com", "alice@example.com")
                .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setSubject("relay me").setText("hello"))
                .build();

            deliveringMailet.service(mail);

            assertThat(mail.getState()).isEqualTo("error");
            assertThat(mail.getRecipients()).containsExactly(new MailAddress("alice@example.com"));
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(waitingIn(deadRelay)).singleElement().satisfies(queued -> {
                    assertThat(waitsForARetry(queued)).isTrue();
                    assertThat(queued.getRecipients()).containsExactly(new MailAddress("bob@example.com"));
                });
                assertThat(waitingIn(otherDeadRelay)).singleElement().satisfies(queued -> {
                    assertThat(waitsForARetry(queued)).isTrue();
                    assertThat(queued.getRecipients()).containsExactly(new MailAddress("nobody@west.com"));
                });
            });
            assertThat(context.getSentMails()).isEmpty();
        }
    }
}
