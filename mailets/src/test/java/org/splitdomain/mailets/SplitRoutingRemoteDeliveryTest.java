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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.splitdomain.route.JamesData.PARTNER;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.queue.memory.MemoryMailQueueFactory;
import org.apache.james.transport.mailets.remote.delivery.Bouncer;
import org.apache.mailet.DsnParameters;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.splitdomain.mailets.relay.LoopMarker;
import org.splitdomain.mailets.relay.RelayClient;
import org.splitdomain.mailets.relay.RelayMetrics;
import org.splitdomain.mailets.relay.RelayQueue;
import org.splitdomain.mailets.relay.RelayQueueState;
import org.splitdomain.relay.InProcessWakeClaims;
import org.splitdomain.route.JamesData;
import org.splitdomain.route.RouteResolver;
import org.splitdomain.settings.RelayCredentials;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.RelayTls;
import org.splitdomain.testing.MemoryRepositories;
import org.splitdomain.testing.PostfixSmtpSink;
import org.splitdomain.testing.SmtpSink;
import org.splitdomain.testing.TestCertificates;

class SplitRoutingRemoteDeliveryTest {
    private static final ConditionFactory AWAIT = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50));
    private static final RelayHost WEST = RelayHost.parse("mx.west.example.net");
    private static final String SECRET = "the-loop-secret-of-the-tests";

    private JamesData james;
    private RelayClient relayClient;
    private RelayQueue relayQueue;
    private RecordingMetricFactory metrics;
    private FakeMailContext context;
    private Path conf;
    private SplitRoutingRemoteDelivery mailet;

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
        metrics = new RecordingMetricFactory();
        context = FakeMailContext.defaultContext();
        conf = Files.createTempDirectory("split-domain-mailet");
    }

    @AfterEach
    void tearDown() {
        if (mailet != null) {
            mailet.destroy();
        }
    }

    private SplitRoutingRemoteDelivery mailet(org.apache.james.queue.api.MailQueueFactory<?> queues) {
        RelayCredentials credentials = new RelayCredentials(Optional.of(conf.resolve("split-relay-credentials.properties").toFile()));
        relayClient = new RelayClient(credentials, metrics, james.domainList, fileSystem());
        relayQueue = new RelayQueue(queues, MemoryRepositories.create(), new InProcessWakeClaims(), james.routeResolver);
        mailet = newMailet(james.routeResolver);
        return mailet;
    }

    private SplitRoutingRemoteDelivery newMailet(RouteResolver routeResolver) {
        return new SplitRoutingRemoteDelivery(routeResolver, metrics, relayClient, relayQueue, () -> true, fileSystem(), java.time.Clock.systemUTC());
    }

    private FileSystem fileSystem() {
        return new FileSystem() {
            @Override
            public InputStream getResource(String url) throws java.io.IOException {
                return Files.newInputStream(getFile(url).toPath());
            }

            @Override
            public File getFile(String fileURL) throws FileNotFoundException {
                return conf.resolve(fileURL.replace("file://conf/", "")).toFile();
            }

            @Override
            public File getBasedir() {
                return conf.toFile();
            }
        };
    }

    private void init(FakeMailetConfig.Builder config) throws MessagingException {
        mailet.init(config.mailetName("SplitRoutingRemoteDelivery").mailetContext(context).build());
    }

    private static Mail mail(String name, String... recipients) throws MessagingException {
        return FakeMail.builder()
            .name(name)
            .sender("sender@external.org")
            .recipients(recipients)
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setSubject("relay me " + name).setText("hello"))
            .build();
    }

    private List<FakeMailContext.SentMail> sentTo(String state) {
        return context.getSentMails().stream().filter(sent -> state.equals(sent.getState())).collect(Collectors.toList());
    }

    private static List<String> recipients(FakeMailContext.SentMail sent) {
        return sent.getRecipients().stream().map(MailAddress::asString).collect(Collectors.toList());
    }

    private static Optional<String> deliveryError(FakeMailContext.SentMail sent) {
        return Optional.ofNullable(sent.getAttributes().get(Bouncer.DELIVERY_ERROR))
            .map(attribute -> (String) attribute.getValue().value());
    }

    @Nested
    class Initialisation {
        @Test
        void initShouldRefuseAnUnknownParameterNamingTheKnownOnes() {
            mailet(new RecordingMailQueueFactory());

            assertThatThrownBy(() -> init(FakeMailetConfig.builder().setProperty("maxRetry", "3")))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("SplitRoutingRemoteDelivery: ")
                .hasMessageContaining("maxRetry")
                .hasMessageContaining("known parameters: [bindAddress, bounceProcessor");
        }

        @Test
        void initShouldTellWhatReplacedARetiredParameter() {
            mailet(new RecordingMailQueueFactory());

            assertThatThrownBy(() -> init(FakeMailetConfig.builder().setProperty("startTLS", "true")))
                .isInstanceOf(MessagingException.class)
                .hasMessage("SplitRoutingRemoteDelivery: 'startTLS' is no longer a parameter: TLS is a policy of each relay in the "
                    + "domain settings: \"tls\": none, may, encrypt or verify");
        }

        @Test
        void initShouldRefuseATrustStoreThatCannotBeRead() {
            mailet(new RecordingMailQueueFactory());

            assertThatThrownBy(() -> init(FakeMailetConfig.builder().setProperty("tlsTrustStore", "file://conf/missing.p12")))
                .isInstanceOf(MessagingException.class)
                .hasMessageStartingWith("SplitRoutingRemoteDelivery: 'tlsTrustStore' file://conf/missing.p12 cannot be read as a PKCS12 or JKS trust store");
        }

        @Test
        void initShouldSetUpTheRelayQueueOfItsParameters() throws Exception {
            mailet(new RecordingMailQueueFactory());

            init(FakeMailetConfig.builder().setProperty("outgoing", "relay-out").setProperty("waitingRoom", "memory://var/mail/relay-out-waiting/"));

            assertThat(relayQueue.getQueueName()).isEqualTo("relay-out");
            assertThat(relayQueue.getWaitingRoomUrl()).isEqualTo("memory://var/mail/relay-out-waiting");
            assertThat(relayClient.getMailetName()).isEqualTo("SplitRoutingRemoteDelivery");
        }

        @Test
        void theWaitingRoomShouldBeOnTheDefaultProtocolOfTheMailRepositories() throws Exception {
            mailet(new RecordingMailQueueFactory());

            init(FakeMailetConfig.builder());

            assertThat(relayQueue.getWaitingRoomUrl()).isEqualTo("memory://var/mail/split-domain-relay-waiting");
        }

        @Test
        void aSecondMailetShouldNotSetUpTheRelayClientOfThisJamesAgain() throws Exception {
            mailet(new RecordingMailQueueFactory());
            init(FakeMailetConfig.builder());
            SplitRoutingRemoteDelivery second = newMailet(james.routeResolver);

            assertThatThrownBy(() -> second.init(FakeMailetConfig.builder().mailetName("Second").mailetContext(context).build()))
                .isInstanceOf(MessagingException.class)
                .hasMessage("Second: the relay client of this James is already set up by mailet SplitRoutingRemoteDelivery: "
                    + "one James runs one SplitRoutingRemoteDelivery");
        }
    }

    @Nested
    class Intake {
        private RecordingMailQueueFactory queues;

        @BeforeEach
        void setUpIntake() throws Exception {
            queues = new RecordingMailQueueFactory();
            mailet(queues);
            init(FakeMailetConfig.builder().setProperty("loopSecret", SECRET));
        }

        @Test
        void serviceShouldQueueTheMailItselfWithItsRecipientsWhateverTheirRelays() throws Exception {
            Mail mail = mail("mail1", "bob@example.com", "nobody@west.com", "somebody@west.com");

            mailet.service(mail);

            assertThat(mail.getState()).isEqualTo(Mail.GHOST);
            assertThat(queues.enqueued("split-domain-relay")).singleElement().satisfies(queued -> {
                assertThat(queued.name).isEqualTo("mail1");
                assertThat(queued.recipients).containsExactly(new MailAddress("bob@example.com"), new MailAddress("nobody@west.com"),
                    new MailAddress("somebody@west.com"));
            });
            assertThat(metrics.countFor("splitDomainRelayedRecipients")).isEqualTo(3);
        }

        @Test
        void aRecipientWhoseRouteCannotBeDecidedNowShouldWaitInTheRelayQueueRatherThanFailTheMail() throws Exception {
            DomainList failingDomains = mock(DomainList.class);
            when(failingDomains.containsDomain(any()))
                .thenThrow(new DomainListException("database down"));
            RecordingMailQueueFactory otherQueues = new RecordingMailQueueFactory();
            mailet.destroy();
            mailet(otherQueues);
            SplitRoutingRemoteDelivery failing = newMailet(new RouteResolver(failingDomains, james.usersRepository, james.recipientRewriteTable,
                james.store));
            failing.init(FakeMailetConfig.builder().mailetName("Failing").mailetContext(context).build());
            try {
                Mail mail = mail("mail5", "nobody@west.com");

                failing.service(mail);

                assertThat(mail.getState()).isEqualTo(Mail.GHOST);
                assertThat(otherQueues.enqueued("split-domain-relay")).singleElement()
                    .satisfies(queued -> assertThat(queued.recipients).containsExactly(new MailAddress("nobody@west.com")));
            } finally {
                failing.destroy();
            }
        }

        @Test
        void serviceShouldHandRecipientsWithoutRelayBackToTheRerouteProcessor() throws Exception {
            Mail mail = mail("mail2", "bob@example.com", "alice@example.com");

            mailet.service(mail);

            assertThat(mail.getState()).isEqualTo("transport");
            assertThat(mail.getRecipients()).containsExactly(new MailAddress("alice@example.com"));
            assertThat(queues.enqueued("split-domain-relay")).singleElement()
                .satisfies(queued -> assertThat(queued.recipients).containsExactly(new MailAddress("bob@example.com")));
            assertThat(metrics.countFor("splitDomainUnroutableRecipients")).isEqualTo(1);
        }

        // The mail now carries the message as a partner hands it back: as it was sent to it, mark included.
        private void cameBack(Mail mail, MimeMessage sent) throws Exception {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            sent.writeTo(bytes);
            mail.setMessage(new MimeMessage(null, new java.io.ByteArrayInputStream(bytes.toByteArray())));
        }

        @Test
        void serviceShouldReturnARecipientThatCameBackWithOurMarkToTheSender() throws Exception {
            Mail mail = mail("mail3", "nobody@west.com", "somebody@west.com");
            LoopMarker sameSecret = LoopMarker.withSecret(SECRET, Duration.ofDays(5), java.time.Clock.systemUTC());
            // What the partner hands back: the message as we sent it to it, for nobody@west.com only.
            cameBack(mail, sameSecret.mark(mail.getMessage(), mail.getMaybeSender(), List.of(new MailAddress("nobody@west.com"))));

            mailet.service(mail);

            assertThat(sentTo("bounces")).singleElement().satisfies(bounce -> {
                assertThat(recipients(bounce)).containsExactly("nobody@west.com");
                assertThat(deliveryError(bounce)).hasValueSatisfying(error -> assertThat(error).startsWith("5.4.6 Routing loop detected"));
            });
            assertThat(queues.enqueued("split-domain-relay")).singleElement()
                .satisfies(queued -> assertThat(queued.recipients).containsExactly(new MailAddress("somebody@west.com")));
            assertThat(metrics.countFor("splitDomainLoopRecipients")).isEqualTo(1);
        }

        @Test
        void serviceShouldNotTakeTheMarkOfAnotherSenderForALoop() throws Exception {
            Mail mail = mail("mail4", "nobody@west.com");
            cameBack(mail, LoopMarker.withSecret(SECRET, Duration.ofDays(5), java.time.Clock.systemUTC())
                .mark(mail.getMessage(), org.apache.james.core.MaybeSender.getMailSender("victim@elsewhere.example"),
                    List.of(new MailAddress("nobody@west.com"))));

            mailet.service(mail);

            assertThat(sentTo("bounces")).isEmpty();
            assertThat(queues.enqueued("split-domain-relay")).hasSize(1);
        }
    }

    /** The engine on James's memory mail queue, delivering to test relays over real SMTP. */
    @Nested
    class Delivery {
        private SmtpSink partner;
        private SmtpSink west;

        @BeforeEach
        void setUpRelays() throws Exception {
            partner = SmtpSink.accepting(0);
            west = SmtpSink.builder().port(0)
                .refusing("nobody@west.com", 550, "5.1.1 nobody here")
                .start();
            james.relays("example.com", false, RelayHost.parse(partner.relay()))
                .relays("west.com", true, RelayHost.parse(west.relay()));
        }

        @AfterEach
        void stopRelays() {
            partner.close();
            west.close();
        }

        private void start(FakeMailetConfig.Builder config) throws MessagingException {
            mailet(new MemoryMailQueueFactory(new RawMailQueueItemDecoratorFactory()));
            init(config.setProperty("connectiontimeout", "2000").setProperty("timeout", "5000"));
        }

        private RelayQueue state() {
            return relayQueue;
        }

        @Test
        void eachRecipientShouldReachItsDomainsRelayAddressUnchangedInOneTransactionPerRelay() throws Exception {
            start(FakeMailetConfig.builder());

            mailet.service(mail("mail1", "Bob@Example.com", "somebody@west.com", "other@west.com"));

            AWAIT.untilAsserted(() -> {
                assertThat(partner.received()).singleElement().satisfies(received -> assertThat(received.recipients).containsExactly("Bob@example.com"));
                assertThat(west.received()).singleElement()
                    .satisfies(received -> assertThat(received.recipients).containsExactly("somebody@west.com", "other@west.com"));
            });
            assertThat(west.received().get(0).sender).isEqualTo("sender@external.org");
            assertThat(west.received().get(0).content)
                .contains("Subject: relay me mail1")
                .contains(LoopMarker.HEADER + ": v=2; t=")
                .doesNotContain("somebody@west.com");
            AWAIT.untilAsserted(() -> assertThat(state().mails()).isEmpty());
            assertThat(metrics.countFor(RelayMetrics.name(RelayMetrics.DELIVERED, RelayHost.parse(west.relay())))).isEqualTo(2);
        }

        @Test
        void aRecipientTheRelayRefusesShouldGetOneDsnAndTheOthersBeDelivered() throws Exception {
            start(FakeMailetConfig.builder());

            mailet.service(mail("mail2", "nobody@west.com", "somebody@west.com", "other@west.com"));

            AWAIT.untilAsserted(() -> assertThat(sentTo("bounces")).hasSize(1));
            assertThat(sentTo("bounces").get(0)).satisfies(bounce -> {
                assertThat(recipients(bounce)).containsExactly("nobody@west.com");
                assertThat(deliveryError(bounce)).contains("550 5.1.1 nobody here");
                assertThat(bounce.getSender().asString()).isEqualTo("sender@external.org");
            });
            assertThat(west.received()).singleElement()
                .satisfies(received -> assertThat(received.recipients).containsExactly("somebody@west.com", "other@west.com"));
            assertThat(metrics.countFor(RelayMetrics.name(RelayMetrics.BOUNCED, RelayHost.parse(west.relay())))).isEqualTo(1);
        }

        /** The DSN of one recipient fails after the relays took the others: the next attempt repeats none of them. */
        @Test
        void aFailureAfterRelaysAcceptedSomeRecipientsShouldLeaveOnlyTheOthersForTheNextAttempt() throws Exception {
            org.apache.mailet.MailetContext flaky = org.mockito.Mockito.mock(org.apache.mailet.MailetContext.class,
                org.mockito.AdditionalAnswers.delegatesTo(context));
            org.mockito.Mockito.doThrow(new MessagingException("spool down"))
                .doAnswer(org.mockito.AdditionalAnswers.delegatesTo(context))
                .when(flaky).sendMail(any(Mail.class), org.mockito.ArgumentMatchers.eq("bounces"));
            mailet(new MemoryMailQueueFactory(new RawMailQueueItemDecoratorFactory()));
            mailet.init(FakeMailetConfig.builder().mailetName("SplitRoutingRemoteDelivery").mailetContext(flaky)
                .setProperty("delayTime", "1 second").setProperty("connectiontimeout", "2000").build());

            mailet.service(mail("partway", "bob@example.com", "somebody@west.com", "nobody@west.com"));

            AWAIT.untilAsserted(() -> assertThat(sentTo("bounces")).singleElement()
                .satisfies(bounce -> assertThat(recipients(bounce)).containsExactly("nobody@west.com")));
            AWAIT.untilAsserted(() -> assertThat(state().mails()).isEmpty());
            assertThat(partner.received()).singleElement().satisfies(received -> assertThat(received.recipients).containsExactly("bob@example.com"));
            assertThat(west.received()).singleElement().satisfies(received -> assertThat(received.recipients).containsExactly("somebody@west.com"));
            // Asked again at the second attempt (a refusal on the cached connection is asked once more on a new one).
            assertThat(west.refusedRecipients()).hasSizeGreaterThanOrEqualTo(2).containsOnly("nobody@west.com");
        }

        @Test
        void aMailWaitingForADownRelayShouldGoToTheRelayTheDomainWasSwitchedTo() throws Exception {
            int downPort = SmtpSink.freePort();
            james.relays("west.com", true, RelayHost.of("127.0.0.1", downPort));
            start(FakeMailetConfig.builder().setProperty("delayTime", "1 second").setProperty("maxRetries", "50"));

            mailet.service(mail("mail3", "somebody@west.com"));
            AWAIT.untilAsserted(() -> assertThat(state().mail("mail3")).hasValueSatisfying(waiting -> {
                assertThat(waiting.getRetries()).isEqualTo(1);
                assertThat(waiting.getLastError()).hasValueSatisfying(error -> assertThat(error)
                    .startsWith("relay 127.0.0.1:" + downPort + ": cannot open a session"));
            }));

            james.relays("west.com", true, RelayHost.parse(west.relay()));

            AWAIT.untilAsserted(() -> assertThat(west.received()).singleElement()
                .satisfies(received -> assertThat(received.recipients).containsExactly("somebody@west.com")));
            AWAIT.untilAsserted(() -> assertThat(state().mails()).isEmpty());
            assertThat(sentTo("bounces")).isEmpty();
        }

        @Test
        void aUserUnflaggedWhileHisMailWaitsShouldBeHandedBackToJamesProcessing() throws Exception {
            int downPort = SmtpSink.freePort();
            james.relays("example.com", false, RelayHost.of("127.0.0.1", downPort));
            start(FakeMailetConfig.builder().setProperty("delayTime", "1 second").setProperty("maxRetries", "50"));

            mailet.service(mail("mail4", "bob@example.com"));
            AWAIT.untilAsserted(() -> assertThat(state().mail("mail4")).hasValueSatisfying(waiting -> assertThat(waiting.getRetries()).isEqualTo(1)));

            james.store.deleteUserRouting(Username.of("bob@example.com"));

            AWAIT.untilAsserted(() -> assertThat(sentTo("transport")).singleElement()
                .satisfies(rerouted -> assertThat(recipients(rerouted)).containsExactly("bob@example.com")));
            AWAIT.untilAsserted(() -> assertThat(state().mails()).isEmpty());
            assertThat(partner.received()).isEmpty();
        }

        @Test
        void theNextRelayOfTheDomainShouldTakeTheMailWhenTheFirstIsDown() throws Exception {
            james.relays("west.com", true, RelayHost.of("127.0.0.1", SmtpSink.freePort()), RelayHost.parse(west.relay()));
            start(FakeMailetConfig.builder());

            mailet.service(mail("mail5", "somebody@west.com"));

            AWAIT.untilAsserted(() -> assertThat(west.received()).hasSize(1));
        }

        @Test
        void theLastRetryFailingShouldSendADsnForTheRecipientsThatNeverGotThrough() throws Exception {
            int downPort = SmtpSink.freePort();
            james.relays("west.com", true, RelayHost.of("127.0.0.1", downPort));
            start(FakeMailetConfig.builder().setProperty("delayTime", "1 second").setProperty("maxRetries", "2")
                .setProperty("failedRelayTime", "1 second"));

            mailet.service(mail("mail6", "somebody@west.com"));

            AWAIT.untilAsserted(() -> assertThat(sentTo("bounces")).singleElement().satisfies(bounce -> {
                assertThat(recipients(bounce)).containsExactly("somebody@west.com");
                assertThat(deliveryError(bounce)).hasValueSatisfying(error -> assertThat(error)
                    .startsWith("5.4.7 Delivery to the relay failed 3 times, giving up. Last error: relay 127.0.0.1:" + downPort));
            }));
            assertThat(state().mails()).isEmpty();
        }

        @Test
        void aRelayThatJustFailedShouldNotBeWaitedForByTheNextMails() throws Exception {
            int downPort = SmtpSink.freePort();
            james.relays("west.com", true, RelayHost.of("127.0.0.1", downPort));
            start(FakeMailetConfig.builder().setProperty("delayTime", "1 hour"));

            mailet.service(mail("mail7", "somebody@west.com"));
            AWAIT.untilAsserted(() -> assertThat(state().mail("mail7")).hasValueSatisfying(waiting -> assertThat(waiting.getRetries()).isEqualTo(1)));
            mailet.service(mail("mail8", "other@west.com"));

            AWAIT.untilAsserted(() -> assertThat(state().mail("mail8")).hasValueSatisfying(waiting -> {
                assertThat(waiting.getLastError())
                    .hasValueSatisfying(error -> assertThat(error).contains("not tried, it failed a moment ago: cannot open a session"));
                // An attempt that asked no relay does not use up a retry.
                assertThat(waiting.getRetries()).isZero();
            }));
        }

        @Test
        void dsnParametersShouldBePassedOnAsJamesRemoteDeliveryDoes() throws Exception {
            assumeTrue(PostfixSmtpSink.isInstalled(), "Debian's postfix (smtp-sink) is installed by .ci/run");
            try (PostfixSmtpSink dsnAware = PostfixSmtpSink.start("127.0.0.2")) {
                james.relays("west.com", true, RelayHost.parse(dsnAware.relay()));
                start(FakeMailetConfig.builder());
                Mail mail = mail("dsn", "notified@west.com", "silent@west.com");
                mail.setDsnParameters(DsnParameters.builder()
                    .envId(DsnParameters.EnvId.of("envelope-42"))
                    .ret(DsnParameters.Ret.HDRS)
                    .addRcptParameter(new MailAddress("notified@west.com"),
                        DsnParameters.RecipientDsnParameters.of(EnumSet.of(DsnParameters.Notify.SUCCESS, DsnParameters.Notify.FAILURE)))
                    .addRcptParameter(new MailAddress("silent@west.com"),
                        DsnParameters.RecipientDsnParameters.of(EnumSet.of(DsnParameters.Notify.NEVER)))
                    .build()
                    .orElseThrow());

                mailet.service(mail);

                // NOTIFY is per transaction in Jakarta Mail: one transaction per NOTIFY value, RET and ENVID in each.
                AWAIT.untilAsserted(() -> assertThat(dsnAware.dumped("X-Rcpt-Args:")).containsExactlyInAnyOrder(
                    "X-Rcpt-Args: <notified@west.com> NOTIFY=SUCCESS,FAILURE", "X-Rcpt-Args: <silent@west.com> NOTIFY=NEVER"));
                assertThat(dsnAware.dumped("X-Mail-Args:")).hasSize(2)
                    .allSatisfy(arguments -> assertThat(arguments).contains("RET=HDRS").contains("ENVID=envelope-42"));
            }
        }

        @Test
        void aRelayWhoseConnectionsAreAllBusyShouldDeferTheMailWithoutCountingAsFailed() throws Exception {
            try (SmtpSink slow = SmtpSink.builder().port(0).takingPerMail(Duration.ofSeconds(3)).start()) {
                james.relays("west.com", true, RelayHost.parse(slow.relay()));
                mailet(new MemoryMailQueueFactory(new RawMailQueueItemDecoratorFactory()));
                init(FakeMailetConfig.builder().setProperty("maxConnectionsPerRelay", "1").setProperty("connectiontimeout", "500")
                    .setProperty("delayTime", "1 second"));

                mailet.service(mail("first", "somebody@west.com"));
                AWAIT.untilAsserted(() -> assertThat(slow.received()).hasSize(1));
                mailet.service(mail("second", "other@west.com"));

                AWAIT.untilAsserted(() -> assertThat(relayQueue.mail("second"))
                    .hasValueSatisfying(waiting -> assertThat(waiting.getLastError()).hasValueSatisfying(error -> assertThat(error)
                        .isEqualTo("relay " + slow.relay() + ": all 1 connections to relay " + slow.relay() + " are busy"))));
                // Busy is no failure of the relay: the retry a second later goes through.
                AWAIT.untilAsserted(() -> assertThat(slow.received()).hasSize(2));
            }
        }

        @Test
        void mailsToOneRelayShouldShareAFewConnections() throws Exception {
            start(FakeMailetConfig.builder().setProperty("maxConnectionsPerRelay", "3"));

            for (int i = 0; i < 60; i++) {
                mailet.service(mail("bulk" + i, "somebody@west.com"));
            }

            AWAIT.untilAsserted(() -> assertThat(west.received()).hasSize(60));
            assertThat(west.connectionsUsed()).isBetween(1L, 3L);
            RelayHost relay = RelayHost.parse(west.relay());
            assertThat(metrics.countFor(RelayMetrics.name(RelayMetrics.CONNECTIONS_OPENED, relay))).isBetween(1, 3);
            assertThat(metrics.countFor(RelayMetrics.name(RelayMetrics.CONNECTIONS_REUSED, relay))).isGreaterThanOrEqualTo(57);
        }

        // The relay queue delivers the first mail to a relay; once it answered quickly, the spool's thread delivers at once.
        private void warmUp(SmtpSink relay) throws MessagingException {
            mailet.service(mail("warm-up", "somebody@west.com"));
            AWAIT.untilAsserted(() -> {
                assertThat(relay.received()).hasSize(1);
                assertThat(relayQueue.mails()).isEmpty();
            });
        }

        @Test
        void aMailForARelayThatAnsweredQuicklyShouldBeDeliveredBeforeTheSpoolThreadLeavesIt() throws Exception {
            start(FakeMailetConfig.builder());
            warmUp(west);

            mailet.service(mail("at-once", "other@west.com", "bob@example.com"));

            // west answered quickly: delivered by the calling thread; the partner was never used, so its recipient goes
            // through the relay queue.
            assertThat(west.received()).hasSize(2);
            assertThat(west.received().get(1).recipients).containsExactly("other@west.com");
            AWAIT.untilAsserted(() -> assertThat(partner.received()).singleElement()
                .satisfies(received -> assertThat(received.recipients).containsExactly("bob@example.com")));
        }

        @Test
        void aRefusalAtOnceShouldSendItsDsnBeforeTheSpoolThreadLeavesTheMail() throws Exception {
            start(FakeMailetConfig.builder());
            warmUp(west);

            mailet.service(mail("refused", "nobody@west.com", "other@west.com"));

            assertThat(sentTo("bounces")).singleElement().satisfies(bounce -> {
                assertThat(recipients(bounce)).containsExactly("nobody@west.com");
                assertThat(deliveryError(bounce)).contains("550 5.1.1 nobody here");
            });
            assertThat(west.received()).hasSize(2);
            assertThat(relayQueue.mails()).isEmpty();
        }

        @Test
        void aDeferralAtOnceShouldWaitInTheWaitingRoomAsAfterAFirstAttempt() throws Exception {
            try (SmtpSink busy = SmtpSink.builder().port(0).refusing("later@west.com", 451, "4.3.0 try again later").start()) {
                james.relays("west.com", true, RelayHost.parse(busy.relay()));
                start(FakeMailetConfig.builder());
                warmUp(busy);

                mailet.service(mail("deferred", "later@west.com"));

                assertThat(relayQueue.mail("deferred")).hasValueSatisfying(waiting -> {
                    assertThat(waiting.getRetries()).isEqualTo(1);
                    assertThat(waiting.getLastError()).hasValueSatisfying(error -> assertThat(error).contains("451 4.3.0 try again later"));
                    assertThat(waiting.getNextAttempt()).isAfter(java.time.Instant.now().plusSeconds(50));
                });
                assertThat(busy.refusedRecipients()).contains("later@west.com");
            }
        }

        @Test
        void noMoreThanImmediateDeliveryThreadsSpoolThreadsShouldWaitOnRelays() throws Exception {
            java.util.concurrent.atomic.AtomicBoolean holding = new java.util.concurrent.atomic.AtomicBoolean(false);
            try (SmtpSink held = SmtpSink.builder().port(0).holdingDataWhile(holding::get).start()) {
                james.relays("west.com", true, RelayHost.parse(held.relay()));
                start(FakeMailetConfig.builder().setProperty("immediateDeliveryThreads", "1"));
                warmUp(held);
                holding.set(true);
                try {
                    java.util.concurrent.CompletableFuture<Void> waiting = java.util.concurrent.CompletableFuture.runAsync(() -> {
                        try {
                            mailet.service(mail("waiting", "other@west.com"));
                        } catch (MessagingException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    AWAIT.untilAsserted(() -> assertThat(held.received()).hasSize(2));

                    // The one spool thread allowed waits for the relay: the next mail is left to the relay queue at once.
                    mailet.service(mail("next", "third@west.com"));
                    assertThat(waiting).isNotDone();
                    // Listed once the relay queue's own thread has taken it up (between its dequeue and its attempt it is in neither).
                    AWAIT.untilAsserted(() -> assertThat(relayQueue.mails()).extracting(RelayQueueState.QueuedMail::getName)
                        .contains("waiting", "next"));

                    holding.set(false);
                    waiting.join();
                    AWAIT.untilAsserted(() -> assertThat(held.received()).hasSize(3));
                } finally {
                    holding.set(false);
                }
            }
        }

        @Test
        void anIdleConnectionShouldBeClosedAfterConnectionIdleTime() throws Exception {
            start(FakeMailetConfig.builder().setProperty("connectionIdleTime", "1 second"));
            mailet.service(mail("first", "somebody@west.com"));
            AWAIT.untilAsserted(() -> assertThat(west.received()).hasSize(1));

            Awaitility.await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(() -> true);
            mailet.service(mail("second", "somebody@west.com"));

            AWAIT.untilAsserted(() -> assertThat(west.received()).hasSize(2));
            assertThat(west.connectionsUsed()).isEqualTo(2);
        }
    }

    /** Each relay's TLS and AUTH policy, against test relays with keytool certificates. */
    @Nested
    class RelayPolicies {
        private TestCertificates certificates;
        private SmtpSink relay;

        @BeforeEach
        void setUpCertificates() throws Exception {
            certificates = TestCertificates.create();
        }

        @AfterEach
        void stopRelay() {
            if (relay != null) {
                relay.close();
            }
        }

        private void deliverThrough(SmtpSink relay, RelayTls tls, Optional<String> credential, FakeMailetConfig.Builder config) throws Exception {
            this.relay = relay;
            james.relays("west.com", true, RelayHost.parse(relay.relay()).withPolicy(tls, credential));
            mailet(new MemoryMailQueueFactory(new RawMailQueueItemDecoratorFactory()));
            init(config.setProperty("delayTime", "1 hour").setProperty("connectiontimeout", "2000").setProperty("timeout", "5000"));
            mailet.service(mail("tls", "somebody@west.com"));
        }

        private Optional<String> lastErrorOfWaitingMail() {
            try {
                return relayQueue.mail("tls")
                    .filter(waiting -> waiting.getRetries() == 1)
                    .flatMap(RelayQueueState.QueuedMail::getLastError);
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }

        private SmtpSink withStartTls(Path keystore) throws Exception {
            return SmtpSink.builder().port(0).startTls(TestCertificates.serverContext(keystore)).start();
        }

        @Test
        void encryptShouldDeferAndSendNothingToARelayWithoutStartTls() throws Exception {
            deliverThrough(SmtpSink.accepting(0), RelayTls.ENCRYPT, Optional.empty(), FakeMailetConfig.builder());

            AWAIT.untilAsserted(() -> assertThat(lastErrorOfWaitingMail()).hasValueSatisfying(error ->
                assertThat(error).contains("STARTTLS is required but host does not support STARTTLS")));
            assertThat(relay.received()).isEmpty();
        }

        @Test
        void encryptShouldDeliverOverTlsWhateverTheCertificate() throws Exception {
            deliverThrough(withStartTls(certificates.selfSigned("partner")), RelayTls.ENCRYPT, Optional.empty(), FakeMailetConfig.builder());

            AWAIT.untilAsserted(() -> assertThat(relay.received()).singleElement().satisfies(received -> assertThat(received.overTls).isTrue()));
        }

        @Test
        void verifyShouldDeferAndSendNothingToARelayWithASelfSignedCertificate() throws Exception {
            deliverThrough(withStartTls(certificates.selfSigned("partner")), RelayTls.VERIFY, Optional.empty(), FakeMailetConfig.builder());

            AWAIT.untilAsserted(() -> assertThat(lastErrorOfWaitingMail()).hasValueSatisfying(error ->
                assertThat(error).contains("Could not convert socket to TLS")));
            assertThat(relay.received()).isEmpty();
        }

        @Test
        void verifyShouldDeliverToARelayWhoseCertificateIsTrustedAndNamesIt() throws Exception {
            Path keystore = certificates.signedByTestAuthority("partner", "ip:127.0.0.1");
            Files.copy(certificates.trustStore(), conf.resolve("relay-trust.p12"));

            deliverThrough(withStartTls(keystore), RelayTls.VERIFY, Optional.empty(), FakeMailetConfig.builder()
                .setProperty("tlsTrustStore", "file://conf/relay-trust.p12")
                .setProperty("tlsTrustStorePassword", TestCertificates.PASSWORD));

            AWAIT.untilAsserted(() -> assertThat(relay.received()).singleElement().satisfies(received -> assertThat(received.overTls).isTrue()));
        }

        @Test
        void verifyShouldDeferWhenTheTrustedCertificateNamesAnotherHost() throws Exception {
            Path keystore = certificates.signedByTestAuthority("elsewhere", "dns:mx.elsewhere.example");
            Files.copy(certificates.trustStore(), conf.resolve("relay-trust.p12"));

            deliverThrough(withStartTls(keystore), RelayTls.VERIFY, Optional.empty(), FakeMailetConfig.builder()
                .setProperty("tlsTrustStore", "file://conf/relay-trust.p12")
                .setProperty("tlsTrustStorePassword", TestCertificates.PASSWORD));

            AWAIT.untilAsserted(() -> assertThat(lastErrorOfWaitingMail()).hasValueSatisfying(error ->
                assertThat(error).contains("Could not convert socket to TLS")));
            assertThat(relay.received()).isEmpty();
        }

        @Test
        void mayShouldDeliverInClearToARelayWithoutStartTls() throws Exception {
            deliverThrough(SmtpSink.accepting(0), RelayTls.MAY, Optional.empty(), FakeMailetConfig.builder());

            AWAIT.untilAsserted(() -> assertThat(relay.received()).singleElement().satisfies(received -> assertThat(received.overTls).isFalse()));
        }

        @Test
        void mayShouldUseStartTlsWhenTheRelayOffersIt() throws Exception {
            deliverThrough(withStartTls(certificates.selfSigned("partner")), RelayTls.MAY, Optional.empty(), FakeMailetConfig.builder());

            AWAIT.untilAsserted(() -> assertThat(relay.received()).singleElement().satisfies(received -> assertThat(received.overTls).isTrue()));
        }

        @Test
        void noneShouldNeverStartTls() throws Exception {
            deliverThrough(withStartTls(certificates.selfSigned("partner")), RelayTls.NONE, Optional.empty(), FakeMailetConfig.builder());

            AWAIT.untilAsserted(() -> assertThat(relay.received()).singleElement().satisfies(received -> assertThat(received.overTls).isFalse()));
        }

        @Test
        void aNamedCredentialShouldAuthenticateToARelayThatRequiresIt() throws Exception {
            Files.writeString(conf.resolve("split-relay-credentials.properties"),
                "partner-cloud.username=relay@example.com\npartner-cloud.password=the-relay-secret\n");
            SmtpSink requiringLogin = SmtpSink.builder().port(0)
                .startTls(TestCertificates.serverContext(certificates.selfSigned("partner")))
                .requiringLogin("relay@example.com", "the-relay-secret")
                .start();

            deliverThrough(requiringLogin, RelayTls.ENCRYPT, Optional.of("partner-cloud"), FakeMailetConfig.builder());

            AWAIT.untilAsserted(() -> assertThat(relay.received()).singleElement().satisfies(received -> {
                assertThat(received.authenticatedAs).contains("relay@example.com");
                assertThat(received.overTls).isTrue();
            }));
        }

        @Test
        void aWrongPasswordShouldDeferTheMail() throws Exception {
            Files.writeString(conf.resolve("split-relay-credentials.properties"),
                "partner-cloud.username=relay@example.com\npartner-cloud.password=an-old-secret\n");
            SmtpSink requiringLogin = SmtpSink.builder().port(0)
                .startTls(TestCertificates.serverContext(certificates.selfSigned("partner")))
                .requiringLogin("relay@example.com", "the-relay-secret")
                .start();

            deliverThrough(requiringLogin, RelayTls.ENCRYPT, Optional.of("partner-cloud"), FakeMailetConfig.builder());

            AWAIT.untilAsserted(() -> assertThat(lastErrorOfWaitingMail()).hasValueSatisfying(error -> assertThat(error)
                .contains("cannot open a session").doesNotContain("an-old-secret")));
            assertThat(relay.received()).isEmpty();
        }

        @Test
        void aCredentialMissingFromTheFileShouldDeferTheMailSayingSo() throws Exception {
            deliverThrough(withStartTls(certificates.selfSigned("partner")), RelayTls.ENCRYPT, Optional.of("nowhere"), FakeMailetConfig.builder());

            AWAIT.untilAsserted(() -> assertThat(lastErrorOfWaitingMail()).hasValueSatisfying(error -> assertThat(error)
                .contains("credential 'nowhere' of relay " + relay.relay() + " is not defined in conf/split-relay-credentials.properties")));
            assertThat(relay.received()).isEmpty();
        }

        @Test
        void aCredentialShouldNotBeUsedOnARelayThatOffersNoAuth() throws Exception {
            Files.writeString(conf.resolve("split-relay-credentials.properties"),
                "partner-cloud.username=relay@example.com\npartner-cloud.password=the-relay-secret\n");

            deliverThrough(withStartTls(certificates.selfSigned("partner")), RelayTls.ENCRYPT, Optional.of("partner-cloud"), FakeMailetConfig.builder());

            AWAIT.untilAsserted(() -> assertThat(lastErrorOfWaitingMail()).hasValueSatisfying(error -> assertThat(error)
                .contains("offers no AUTH: credential 'partner-cloud' not used")));
            assertThat(relay.received()).isEmpty();
        }
    }
}
