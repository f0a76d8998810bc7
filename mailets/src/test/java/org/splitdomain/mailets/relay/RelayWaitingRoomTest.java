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

import java.time.Instant;

import org.apache.james.core.MailAddress;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.mailrepository.memory.MemoryMailRepository;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RelayWaitingRoomTest {
    private static final Instant DUE = Instant.parse("2026-12-01T10:00:00Z");

    private MemoryMailRepository repository;
    private RelayWaitingRoom waitingRoom;

    @BeforeEach
    void setUp() {
        repository = new MemoryMailRepository();
        waitingRoom = new RelayWaitingRoom(repository);
    }

    private static Mail mail(String name) throws Exception {
        return FakeMail.builder()
            .name(name)
            .sender("sender@external.org")
            .recipients("bob@example.com", "carol@example.com")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setSubject("waiting").setText("hello"))
            .build();
    }

    @Test
    void parkShouldStoreTheMailUnderAKeyThatSaysWhenItIsDue() throws Exception {
        RelayWaitingRoom.Entry entry = waitingRoom.park(mail("Mail-1-a"), DUE);

        assertThat(entry.getKey().asString()).matches("wait-" + DUE.toEpochMilli() + "-[a-z2-7]{10}-Mail-1-a");
        assertThat(waitingRoom.entries()).singleElement().satisfies(listed -> {
            assertThat(listed.getName()).isEqualTo("Mail-1-a");
            assertThat(listed.getDue()).isEqualTo(DUE);
            assertThat(listed.getStayId()).isEqualTo(entry.getStayId());
        });
    }

    @Test
    void entriesDueShouldLeaveOutWhatIsDueLater() throws Exception {
        waitingRoom.park(mail("now"), DUE);
        waitingRoom.park(mail("later"), DUE.plusSeconds(1));

        assertThat(waitingRoom.entriesDue(DUE)).extracting(RelayWaitingRoom.Entry::getName).containsExactly("now");
    }

    @Test
    void retrieveShouldGiveTheMailBackUnderItsOwnNameWithItsRecipientsAndMessage() throws Exception {
        RelayWaitingRoom.Entry entry = waitingRoom.park(mail("Mail-2"), DUE);

        Mail retrieved = waitingRoom.retrieve(entry).orElseThrow();

        assertThat(retrieved.getName()).isEqualTo("Mail-2");
        assertThat(retrieved.getRecipients()).containsExactly(new MailAddress("bob@example.com"), new MailAddress("carol@example.com"));
        assertThat(retrieved.getMessage().getSubject()).isEqualTo("waiting");
    }

    @Test
    void describeShouldTellTheListingWhenTheMailIsDue() throws Exception {
        Mail mail = mail("Mail-3");
        RelayQueueState.stampFirstQueued(mail, DUE.minusSeconds(60));
        RelayQueueState.stampRetry(mail, 2, "relay 127.0.0.2:25: cannot open a session");
        RelayWaitingRoom.Entry entry = waitingRoom.park(mail, DUE);

        assertThat(waitingRoom.describe(entry)).hasValueSatisfying(described -> {
            assertThat(described.getName()).isEqualTo("Mail-3");
            assertThat(described.getRetries()).isEqualTo(2);
            assertThat(described.getLastError()).contains("relay 127.0.0.2:25: cannot open a session");
            assertThat(described.getSince()).isEqualTo(DUE.minusSeconds(60));
            assertThat(described.getNextAttempt()).isEqualTo(DUE);
        });
    }

    @Test
    void aRemovedStayShouldBeGoneAndOtherKeysOfTheRepositoryIgnored() throws Exception {
        RelayWaitingRoom.Entry entry = waitingRoom.park(mail("Mail-4"), DUE);
        Mail foreign = mail("not-a-stay");
        repository.store(foreign);

        waitingRoom.remove(entry);

        assertThat(waitingRoom.entries()).isEmpty();
        assertThat(waitingRoom.retrieve(entry)).isEmpty();
        assertThat(repository.list()).toIterable().containsExactly(new MailKey("not-a-stay"));
    }
}
