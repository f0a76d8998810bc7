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

import java.util.List;

import org.apache.james.core.MailAddress;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.transport.mailets.remote.delivery.Bouncer;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.Test;

class RelayBouncerTest {
    private final FakeMailContext context = FakeMailContext.defaultContext();
    private final RelayBouncer bouncer = new RelayBouncer(context, "bounces");

    @Test
    void bounceShouldSendTheRecipientsToTheBounceProcessorWithTheRelaysReplyAsRemoteDeliveryDoes() throws Exception {
        FakeMail mail = FakeMail.builder().name("mail1").sender("sender@external.org").recipients("bob@example.com", "carol@example.com")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setText("hello")).build();

        bouncer.bounce(mail, List.of(new MailAddress("carol@example.com")), "550 5.1.1 no such user");

        assertThat(context.getSentMails()).singleElement().satisfies(sent -> {
            assertThat(sent.getState()).isEqualTo("bounces");
            assertThat(sent.getRecipients()).containsExactly(new MailAddress("carol@example.com"));
            assertThat(sent.getAttributes().get(Bouncer.DELIVERY_ERROR).getValue().value()).isEqualTo("550 5.1.1 no such user");
            assertThat(sent.getAttributes().get(Bouncer.DELIVERY_ERROR_CODE).getValue().value()).isEqualTo(550);
            assertThat(sent.getAttributes().get(Bouncer.IS_DELIVERY_PERMANENT_ERROR).getValue().value()).isEqualTo(true);
        });
        // The mail itself keeps its recipients.
        assertThat(mail.getRecipients()).hasSize(2);
    }

    @Test
    void aMailWithoutSenderShouldGetNoDsn() throws Exception {
        FakeMail bounce = FakeMail.builder().name("bounce").recipients("bob@example.com")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setText("a DSN")).build();

        bouncer.bounce(bounce, bounce.getRecipients(), "550 5.1.1 no such user");

        assertThat(context.getSentMails()).isEmpty();
    }
}
