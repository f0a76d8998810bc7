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

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.junit.jupiter.api.Test;

import com.google.common.collect.ImmutableList;

class LoopMarkerTest {
    private static final String SECRET = "a-secret-of-at-least-16-chars";
    private static final Duration LIFETIME = Duration.ofDays(5);
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final MaybeSender ALICE = MaybeSender.getMailSender("alice@example.com");
    private static final MailAddress NOBODY = address("nobody@example.com");

    private final LoopMarker marker = markerAt(NOW);

    private static LoopMarker markerAt(Instant now) {
        return LoopMarker.withSecret(SECRET, LIFETIME, Clock.fixed(now, ZoneOffset.UTC));
    }

    private static MailAddress address(String address) {
        try {
            return new MailAddress(address);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static MimeMessage message(String messageId) throws Exception {
        MimeMessage message = MimeMessageBuilder.mimeMessageBuilder().setSubject("hi").setText("hello").build();
        message.setHeader("Message-ID", messageId);
        return message;
    }

    private static String written(MimeMessage message) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        message.writeTo(output);
        return output.toString();
    }

    /** The message as a relay receives it, mark included. */
    private String sent(LoopMarker marker, MimeMessage message, MaybeSender sender, MailAddress... recipients) throws Exception {
        return written(marker.mark(message, sender, ImmutableList.copyOf(recipients)));
    }

    /** The message as it comes back from a partner that kept our header. */
    private static MimeMessage cameBack(String sent) throws Exception {
        return new MimeMessage(null, new java.io.ByteArrayInputStream(sent.getBytes()));
    }

    @Test
    void isMarkedShouldRecogniseItsOwnMarkForTheSameRecipientAndSender() throws Exception {
        MimeMessage back = cameBack(sent(marker, message("<1@test>"), ALICE, NOBODY));

        assertThat(marker.isMarked(back, ALICE, NOBODY)).isTrue();
        assertThat(marker.isMarked(back, MaybeSender.getMailSender("Alice@Example.COM"), address("Nobody@Example.com"))).isTrue();
    }

    @Test
    void isMarkedShouldBeFalseForAnotherRecipientOfTheSameMail() throws Exception {
        MimeMessage back = cameBack(sent(marker, message("<1@test>"), ALICE, NOBODY));

        assertThat(marker.isMarked(back, ALICE, address("carol@example.com"))).isFalse();
    }

    @Test
    void theMarkShouldNameNoRecipient() throws Exception {
        String sent = sent(marker, message("<1@test>"), ALICE, NOBODY, address("hidden.bcc@example.com"));

        assertThat(sent).contains(LoopMarker.HEADER + ": v=2; t=" + NOW.getEpochSecond() + "; r=")
            .doesNotContain("nobody@example.com")
            .doesNotContain("hidden.bcc");
    }

    @Test
    void aCopiedMarkShouldNotMatchAnotherEnvelopeSender() throws Exception {
        MimeMessage back = cameBack(sent(marker, message("<1@test>"), ALICE, NOBODY));

        // Whoever copies the mark can only ever get the mail returned to alice, the sender we marked it for.
        assertThat(marker.isMarked(back, MaybeSender.getMailSender("victim@elsewhere.example"), NOBODY)).isFalse();
        assertThat(marker.isMarked(back, MaybeSender.nullSender(), NOBODY)).isFalse();
    }

    @Test
    void aCopiedMarkShouldNotMatchAnotherMessageId() throws Exception {
        String sent = sent(marker, message("<1@test>"), ALICE, NOBODY);
        MimeMessage other = message("<2@test>");
        other.setHeader(LoopMarker.HEADER, cameBack(sent).getHeader(LoopMarker.HEADER)[0]);

        assertThat(marker.isMarked(other, ALICE, NOBODY)).isFalse();
    }

    @Test
    void aMarkShouldExpire() throws Exception {
        MimeMessage back = cameBack(sent(marker, message("<1@test>"), ALICE, NOBODY));

        assertThat(markerAt(NOW.plus(LIFETIME).minusSeconds(1)).isMarked(back, ALICE, NOBODY)).isTrue();
        assertThat(markerAt(NOW.plus(LIFETIME).plusSeconds(1)).isMarked(back, ALICE, NOBODY)).isFalse();
    }

    @Test
    void aMarkFromFarInTheFutureShouldNotCount() throws Exception {
        MimeMessage back = cameBack(sent(markerAt(NOW.plus(Duration.ofHours(1))), message("<1@test>"), ALICE, NOBODY));

        assertThat(marker.isMarked(back, ALICE, NOBODY)).isFalse();
    }

    @Test
    void anotherSecretShouldNotRecogniseTheMark() throws Exception {
        MimeMessage back = cameBack(sent(marker, message("<1@test>"), ALICE, NOBODY));

        LoopMarker otherNode = LoopMarker.withSecret("another-secret-of-16-chars", LIFETIME, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(otherNode.isMarked(back, ALICE, NOBODY)).isFalse();
    }

    @Test
    void forgedOrOldStyleMarksShouldBeIgnored() throws Exception {
        MimeMessage message = message("<1@test>");
        message.addHeader(LoopMarker.HEADER, "nobody@example.com; sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        message.addHeader(LoopMarker.HEADER, "v=2; t=" + NOW.getEpochSecond() + "; r=AAAAAAAAAAAAAAAAAAAAAA");
        message.addHeader(LoopMarker.HEADER, "v=2; t=soon; r=");
        message.addHeader(LoopMarker.HEADER, "garbage");

        assertThat(marker.isMarked(message, ALICE, NOBODY)).isFalse();
    }

    @Test
    void markingShouldLeaveTheMarksTheMessageCameWithAndAddNone() throws Exception {
        MimeMessage message = message("<1@test>");
        message.addHeader(LoopMarker.HEADER, "v=2; t=1; r=from-the-partner");

        String sent = sent(marker, message, ALICE, NOBODY);

        assertThat(marker.isMarked(cameBack(sent), ALICE, NOBODY)).isTrue();
        assertThat(message.getHeader(LoopMarker.HEADER)).containsExactly("v=2; t=1; r=from-the-partner");
        assertThat(marker.isMarked(message, ALICE, NOBODY)).isFalse();
    }

    @Test
    void markingShouldLeaveNoHeaderOnAMessageThatHadNone() throws Exception {
        MimeMessage message = message("<1@test>");

        sent(marker, message, ALICE, NOBODY);

        assertThat(message.getHeader(LoopMarker.HEADER)).isNull();
    }

    @Test
    void markShouldGiveAMessageWithoutMessageIdOneThatItKeeps() throws Exception {
        MimeMessage message = MimeMessageBuilder.mimeMessageBuilder().setSubject("no id").build();
        message.removeHeader("Message-ID");

        MimeMessage back = cameBack(sent(marker, message, ALICE, NOBODY));

        assertThat(message.getMessageID()).endsWith("@split-domain.invalid>");
        assertThat(back.getMessageID()).isEqualTo(message.getMessageID());
        assertThat(marker.isMarked(back, ALICE, NOBODY)).isTrue();
    }

    @Test
    void aMarkForManyRecipientsShouldBeFoldedUnderTheLineLimit() throws Exception {
        MailAddress[] recipients = IntStream.range(0, 100).mapToObj(i -> address("user" + i + "@example.com")).toArray(MailAddress[]::new);

        String sent = sent(marker, message("<1@test>"), ALICE, recipients);
        MimeMessage back = cameBack(sent);

        assertThat(sent.lines().collect(Collectors.toList())).allSatisfy(line -> assertThat(line.length()).isLessThan(998));
        assertThat(marker.isMarked(back, ALICE, address("user0@example.com"))).isTrue();
        assertThat(marker.isMarked(back, ALICE, address("user99@example.com"))).isTrue();
    }

    @Test
    void markShouldBeSafeFromManyDeliveryThreadsAtOnce() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> checks = IntStream.range(0, 400)
                .<Callable<Boolean>>mapToObj(i -> () -> {
                    MailAddress recipient = address("user" + i + "@example.com");
                    MimeMessage back = cameBack(sent(marker, message("<" + i + "@test>"), ALICE, recipient));
                    return marker.isMarked(back, ALICE, recipient) && !marker.isMarked(back, ALICE, address("other" + i + "@example.com"));
                })
                .collect(ImmutableList.toImmutableList());
            for (Future<Boolean> check : threads.invokeAll(checks)) {
                assertThat(check.get()).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
