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

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.mailet.Mail;
import org.apache.mailet.base.Converter7Bit;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.splitdomain.route.JamesData;
import org.splitdomain.settings.RelayCredentials;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.testing.SmtpSink;

/** Deliveries through the relay client to a real SMTP partner on 127.0.0.2. */
class RelaySenderTest {
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final RecordingMetricFactory metrics = new RecordingMetricFactory();
    private SmtpSink partner;
    private RelayClient client;
    private RelaySender sender;

    @BeforeEach
    void setUp() throws Exception {
        known.add("bob@example.com");
        // Postfix's smtpd: a session answers with the maps it had when it began.
        partner = SmtpSink.builder().bindAddress("127.0.0.2").knowingAsOfSessionStart(known).start();
        client = new RelayClient(new RelayCredentials(Optional.empty()), metrics, new JamesData().domainList, null);
        RelayDeliveryConfiguration configuration = RelayDeliveryConfiguration.from(FakeMailetConfig.builder().mailetName("relay")
            .setProperty("heloName", "slave.example.com").build());
        client.setUp("relay", configuration);
        sender = new RelaySender(client.connections(), new FailedRelays(Duration.ofSeconds(30), Clock.systemUTC()),
            LoopMarker.withRandomSecret(Duration.ofDays(5), Clock.systemUTC()), new RelayMetrics(metrics),
            new Converter7Bit(FakeMailContext.defaultContext()), client.lastDeliveries());
    }

    @AfterEach
    void tearDown() {
        client.close();
        partner.close();
    }

    private static Mail mail(String name, String recipient) throws MessagingException {
        return FakeMail.builder().name(name).sender("sender@external.org").recipients(recipient)
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setSubject(name).setText("hello")).build();
    }

    private Map<MailAddress, RecipientOutcome> deliver(String name, String recipient) throws MessagingException {
        Mail mail = mail(name, recipient);
        return sender.deliver(mail, List.of(RelayHost.parse(partner.relay())), List.copyOf(mail.getRecipients()));
    }

    @Test
    void aRefusalOnAReusedConnectionShouldBeAskedAgainOnANewOneBeforeItBounces() throws Exception {
        assertThat(deliver("first", "bob@example.com")).allSatisfy((recipient, outcome) ->
            assertThat(outcome.getKind()).isEqualTo(RecipientOutcome.Kind.DELIVERED));
        // The partner learns carol: the session the first mail left open does not know her yet.
        known.add("carol@example.com");

        Map<MailAddress, RecipientOutcome> outcomes = deliver("second", "carol@example.com");

        assertThat(outcomes.get(new MailAddress("carol@example.com")).getKind()).isEqualTo(RecipientOutcome.Kind.DELIVERED);
        assertThat(partner.refusedRecipients()).containsExactly("carol@example.com");
        assertThat(partner.received()).hasSize(2);
        assertThat(partner.connectionsUsed()).isEqualTo(2);
    }

    @Test
    void aRefusalOnANewConnectionShouldBeFinal() throws Exception {
        Map<MailAddress, RecipientOutcome> outcomes = deliver("first", "nobody@example.com");

        assertThat(outcomes.get(new MailAddress("nobody@example.com"))).satisfies(outcome -> {
            assertThat(outcome.getKind()).isEqualTo(RecipientOutcome.Kind.REFUSED);
            assertThat(outcome.getDetail()).contains("550 5.1.1");
        });
        assertThat(partner.refusedRecipients()).containsExactly("nobody@example.com");
    }

    @Test
    void aRefusalConfirmedOnANewConnectionShouldBounce() throws Exception {
        deliver("first", "bob@example.com");

        Map<MailAddress, RecipientOutcome> outcomes = deliver("second", "nobody@example.com");

        assertThat(outcomes.get(new MailAddress("nobody@example.com")).getKind()).isEqualTo(RecipientOutcome.Kind.REFUSED);
        assertThat(partner.refusedRecipients()).containsExactly("nobody@example.com", "nobody@example.com");
        assertThat(metrics.countFor(RelayMetrics.name(RelayMetrics.BOUNCED, RelayHost.parse(partner.relay())))).isEqualTo(1);
    }

    @Test
    void theRelayClientShouldSaySoWhenNoMailetSetItUp() throws Exception {
        RelayClient notSetUp = new RelayClient(new RelayCredentials(Optional.empty()), metrics, new JamesData().domainList, null);

        assertThatThrownBy(() -> notSetUp.probe(RelayHost.parse(partner.relay()), new MailAddress("bob@example.com"), Duration.ofSeconds(1)))
            .isInstanceOf(MessagingException.class)
            .hasMessage("no SplitRoutingRemoteDelivery mailet runs in this James: nothing could relay bob@example.com");
        assertThat(notSetUp.isSetUp()).isFalse();
    }

    @Test
    void theRelayClientShouldProbeAndTestWithTheMailetsSettings() throws Exception {
        assertThat(client.probe(RelayHost.parse(partner.relay()), new MailAddress("bob@example.com"), Duration.ofSeconds(5)).getCode())
            .isEqualTo(250);
        assertThat(client.test(RelayHost.parse(partner.relay())).getDialogue()).contains("C: EHLO slave.example.com");
        assertThat(partner.received()).isEmpty();
    }
}
