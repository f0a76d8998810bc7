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

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;

import com.google.common.base.Splitter;
import com.google.common.io.BaseEncoding;
import com.google.common.primitives.Longs;

/**
 * The header we add to the message of each SMTP transaction with a relay, so that we recognise a
 * recipient that the partner hands back to us: neither system hosts that address.
 *
 * <pre>X-Split-Domain-Relayed: v=2; t=1764600000; r=3q2-7Q_fUvm0yV8xB1c9Zg, Yk3...</pre>
 *
 * <p>{@code t} is when it was sent, {@code r} one signature per recipient of the transaction: an HMAC,
 * under a secret of ours, of the recipient, the envelope sender, the Message-ID and {@code t}. So:</p>
 * <ul>
 *     <li>no recipient is named: a Bcc recipient stays hidden from the others;</li>
 *     <li>a mark copied into another mail matches only the same Message-ID and the same envelope sender,
 *     so it can only ever make us return a mail to the sender of the mail we marked (no backscatter to a
 *     sender of the copier's choosing); an outside sender cannot make one without the secret;</li>
 *     <li>a mark is ignored once older than {@code loopMarkLifetime};</li>
 *     <li>only the same recipient coming back is a loop: the partner's address, or other recipients of
 *     the mail, play no part.</li>
 * </ul>
 * <p>The header is only ever in what is handed to the relay ({@link MarkedMessage}), never in the copy that
 * stays queued or goes back to James's processing. Any MTA passes it on untouched (Postfix, Exim, James).</p>
 */
public class LoopMarker {
    public static final String HEADER = "X-Split-Domain-Relayed";
    private static final String ALGORITHM = "HmacSHA256";
    private static final String VERSION = "v=2";
    private static final int SIGNATURE_BYTES = 16;
    // Clocks of the two systems may differ a little: a mark from "the future" is still ours.
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(10);
    private static final BaseEncoding ENCODING = BaseEncoding.base64Url().omitPadding();

    public static LoopMarker withSecret(String secret, Duration lifetime, Clock clock) {
        return new LoopMarker(secret.getBytes(StandardCharsets.UTF_8), lifetime, clock);
    }

    /** A secret that lives as long as this process: marks survive neither a restart nor another node. */
    public static LoopMarker withRandomSecret(Duration lifetime, Clock clock) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new LoopMarker(secret, lifetime, clock);
    }

    // A Mac is not thread-safe, and looking one up and keying it per signature was a tenth of the
    // relay mailet's samples in a profile of the relay benchmark: one keyed Mac per delivery thread.
    private final ThreadLocal<Mac> macs;
    private final Duration lifetime;
    private final Clock clock;

    private LoopMarker(byte[] secret, Duration lifetime, Clock clock) {
        SecretKeySpec key = new SecretKeySpec(secret, ALGORITHM);
        this.macs = ThreadLocal.withInitial(() -> keyedMac(key));
        this.lifetime = lifetime;
        this.clock = clock;
    }

    private static Mac keyedMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /**
     * The message as a relay transaction for these recipients carries it: with one mark for them on top. The message
     * itself is left as it is, but for a Message-ID it gets if it has none.
     */
    public MimeMessage mark(MimeMessage message, MaybeSender sender, Collection<MailAddress> recipients) throws MessagingException {
        if (message.getMessageID() == null) {
            // The mark is bound to the Message-ID: give the message one now rather than let an MTA on
            // the way invent one that the mark would not match. It stays, for the retries to match too.
            message.setHeader("Message-ID", "<" + UUID.randomUUID() + "@split-domain.invalid>");
        }
        return new MarkedMessage(message, HEADER, MimeUtility.fold(HEADER.length() + 2, markFor(message, sender, recipients)));
    }

    String markFor(MimeMessage message, MaybeSender sender, Collection<MailAddress> recipients) throws MessagingException {
        long sent = clock.instant().getEpochSecond();
        String messageId = messageId(message);
        StringBuilder mark = new StringBuilder(VERSION).append("; t=").append(sent).append("; r=");
        boolean first = true;
        for (MailAddress recipient : recipients) {
            if (!first) {
                // a space after each comma lets a mark with many recipients be folded under the 998-byte line limit
                mark.append(", ");
            }
            mark.append(sign(sent, recipient, sender, messageId));
            first = false;
        }
        return mark.toString();
    }

    /** Whether the message carries our own, unexpired mark for this recipient of a mail from this sender. */
    public boolean isMarked(MimeMessage message, MaybeSender sender, MailAddress recipient) throws MessagingException {
        String[] values = message.getHeader(HEADER);
        if (values == null) {
            return false;
        }
        String messageId = messageId(message);
        Instant now = clock.instant();
        for (String value : values) {
            Optional<ParsedMark> mark = ParsedMark.parse(value);
            if (mark.isEmpty() || !isFresh(mark.get().sent, now)) {
                continue;
            }
            byte[] expected = sign(mark.get().sent, recipient, sender, messageId).getBytes(StandardCharsets.US_ASCII);
            for (String signature : mark.get().signatures) {
                if (MessageDigest.isEqual(signature.getBytes(StandardCharsets.US_ASCII), expected)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean isFresh(long sent, Instant now) {
        Instant at = Instant.ofEpochSecond(sent);
        return !at.isBefore(now.minus(lifetime)) && !at.isAfter(now.plus(CLOCK_SKEW));
    }

    private static String messageId(MimeMessage message) throws MessagingException {
        return Optional.ofNullable(message.getMessageID()).orElse("").trim();
    }

    private String sign(long sent, MailAddress recipient, MaybeSender sender, String messageId) {
        String signed = VERSION + "\n" + sent + "\n" + recipient.asString().toLowerCase(Locale.US) + "\n"
            + sender.asString("<>").toLowerCase(Locale.US) + "\n" + messageId;
        // doFinal leaves the Mac reset and keyed for the next signature
        byte[] signature = macs.get().doFinal(signed.getBytes(StandardCharsets.UTF_8));
        return ENCODING.encode(Arrays.copyOf(signature, SIGNATURE_BYTES));
    }

    private static final class ParsedMark {
        private static final Splitter FIELDS = Splitter.on(';').trimResults().omitEmptyStrings();

        static Optional<ParsedMark> parse(String value) {
            List<String> fields = FIELDS.splitToList(value.replaceAll("\\s+", " "));
            if (fields.size() != 3 || !fields.get(0).equals(VERSION) || !fields.get(1).startsWith("t=") || !fields.get(2).startsWith("r=")) {
                return Optional.empty();
            }
            Long sent = Longs.tryParse(fields.get(1).substring(2));
            if (sent == null) {
                return Optional.empty();
            }
            return Optional.of(new ParsedMark(sent, Splitter.on(',').trimResults().splitToList(fields.get(2).substring(2))));
        }

        private final long sent;
        private final List<String> signatures;

        private ParsedMark(long sent, List<String> signatures) {
            this.sent = sent;
            this.signatures = signatures;
        }
    }
}
