package org.splitdomain.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.splitdomain.route.JamesData.PARTNER;

import javax.mail.MessagingException;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.dnsservice.api.InMemoryDNSService;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import javax.mail.internet.MimeMessage;

import org.apache.james.transport.mailets.remote.delivery.Bouncer;
import org.apache.mailet.Mail;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.splitdomain.route.JamesData;
import org.splitdomain.mailets.relay.LoopMarker;
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
}
