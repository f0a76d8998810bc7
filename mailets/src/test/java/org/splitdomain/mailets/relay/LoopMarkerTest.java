package org.splitdomain.mailets.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.junit.jupiter.api.Test;

import com.google.common.collect.ImmutableList;

class LoopMarkerTest {
    private static final String SECRET = "a-secret-of-at-least-16-chars";
    private final LoopMarker marker = LoopMarker.withSecret(SECRET);

    private static MimeMessage message(String messageId) throws Exception {
        MimeMessage message = MimeMessageBuilder.mimeMessageBuilder().setSubject("hi").build();
        message.setHeader("Message-ID", messageId);
        return message;
    }

    @Test
    void isMarkedShouldRecogniseItsOwnMark() throws Exception {
        MimeMessage message = message("<1@test>");
        marker.mark(message, ImmutableList.of(new MailAddress("nobody@example.com")));

        assertThat(marker.isMarked(message, new MailAddress("nobody@example.com"))).isTrue();
        assertThat(marker.isMarked(message, new MailAddress("Nobody@Example.com"))).isTrue();
    }

    @Test
    void isMarkedShouldBeFalseForAnotherRecipient() throws Exception {
        MimeMessage message = message("<1@test>");
        marker.mark(message, ImmutableList.of(new MailAddress("nobody@example.com")));

        assertThat(marker.isMarked(message, new MailAddress("someone@example.com"))).isFalse();
    }

    @Test
    void isMarkedShouldBeFalseForAMarkSignedWithAnotherSecret() throws Exception {
        MimeMessage message = message("<1@test>");
        LoopMarker.withSecret("the-partner-has-its-own-secret").mark(message, ImmutableList.of(new MailAddress("nobody@example.com")));

        assertThat(marker.isMarked(message, new MailAddress("nobody@example.com"))).isFalse();
    }

    @Test
    void isMarkedShouldBeFalseWhenAMarkIsCopiedIntoAnotherMessage() throws Exception {
        MimeMessage original = message("<1@test>");
        marker.mark(original, ImmutableList.of(new MailAddress("nobody@example.com")));
        MimeMessage forged = message("<2@test>");
        forged.addHeader(LoopMarker.HEADER, original.getHeader(LoopMarker.HEADER)[0]);

        assertThat(marker.isMarked(forged, new MailAddress("nobody@example.com"))).isFalse();
    }

    @Test
    void isMarkedShouldBeFalseForAnUnsignedHeader() throws Exception {
        MimeMessage message = message("<1@test>");
        message.addHeader(LoopMarker.HEADER, "nobody@example.com; sig=forged");

        assertThat(marker.isMarked(message, new MailAddress("nobody@example.com"))).isFalse();
    }

    @Test
    void markShouldGiveAMessageWithoutMessageIdOneSoTheMarkHolds() throws Exception {
        MimeMessage message = MimeMessageBuilder.mimeMessageBuilder().setSubject("hi").build();
        message.removeHeader("Message-ID");

        marker.mark(message, ImmutableList.of(new MailAddress("nobody@example.com")));

        assertThat(message.getMessageID()).isNotNull();
        assertThat(marker.isMarked(message, new MailAddress("nobody@example.com"))).isTrue();
    }

    @Test
    void marksShouldHoldWhenManyDeliveryThreadsSignAtOnce() throws Exception {
        MimeMessage reference = message("<shared@test>");
        marker.mark(reference, ImmutableList.of(new MailAddress("nobody@example.com")));
        String expected = reference.getHeader(LoopMarker.HEADER)[0];
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> tasks = IntStream.range(0, 400)
                .<Callable<Boolean>>mapToObj(i -> () -> {
                    MimeMessage message = message("<shared@test>");
                    marker.mark(message, ImmutableList.of(new MailAddress("nobody@example.com")));
                    return message.getHeader(LoopMarker.HEADER)[0].equals(expected)
                        && marker.isMarked(message, new MailAddress("nobody@example.com"));
                })
                .toList();
            for (Future<Boolean> result : threads.invokeAll(tasks)) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
