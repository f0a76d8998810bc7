package org.splitdomain.mailets.relay;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;

import com.google.common.io.BaseEncoding;

/**
 * The header we add, one per recipient, to every mail we hand to a relay. When a mail comes back to
 * us carrying our own mark for a recipient we would relay again, the two systems are bouncing it
 * between them: nobody hosts that address.
 *
 * <p>Any MTA passes the header on untouched (Postfix, Exim, James). The mark is an HMAC of the
 * recipient and the Message-ID under a secret of ours, so an outside sender cannot forge one to make
 * us refuse mail, and a mark copied from one message does not apply to another.</p>
 */
public class LoopMarker {
    public static final String HEADER = "X-Split-Domain-Relayed";
    private static final String ALGORITHM = "HmacSHA256";
    private static final String SIGNATURE_PREFIX = "; sig=";

    public static LoopMarker withSecret(String secret) {
        return new LoopMarker(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** A secret that lives as long as this process: marks survive neither a restart nor another node. */
    public static LoopMarker withRandomSecret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new LoopMarker(secret);
    }

    // A Mac is not thread-safe, and looking one up and keying it per signature was a tenth of the
    // relay mailet's samples in a profile of the relay benchmark: one keyed Mac per delivery thread.
    private final ThreadLocal<Mac> macs;

    private LoopMarker(byte[] secret) {
        SecretKeySpec key = new SecretKeySpec(secret, ALGORITHM);
        this.macs = ThreadLocal.withInitial(() -> keyedMac(key));
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

    public void mark(MimeMessage message, Collection<MailAddress> recipients) throws MessagingException {
        if (message.getMessageID() == null) {
            // The mark is bound to the Message-ID: give the message one now rather than let an MTA on
            // the way invent one that the mark would not match.
            message.setHeader("Message-ID", "<" + UUID.randomUUID() + "@split-domain.invalid>");
        }
        String messageId = messageId(message);
        for (MailAddress recipient : recipients) {
            message.addHeader(HEADER, canonical(recipient) + SIGNATURE_PREFIX + sign(canonical(recipient), messageId));
        }
    }

    public boolean isMarked(MimeMessage message, MailAddress recipient) throws MessagingException {
        String[] values = message.getHeader(HEADER);
        if (values == null) {
            return false;
        }
        String expected = canonical(recipient) + SIGNATURE_PREFIX + sign(canonical(recipient), messageId(message));
        return Arrays.stream(values)
            .map(String::trim)
            .anyMatch(value -> MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8)));
    }

    private static String canonical(MailAddress recipient) {
        return recipient.asString().toLowerCase(Locale.US);
    }

    private static String messageId(MimeMessage message) throws MessagingException {
        return Optional.ofNullable(message.getMessageID()).orElse("");
    }

    private String sign(String recipient, String messageId) {
        // doFinal leaves the Mac reset and keyed for the next signature
        byte[] signature = macs.get().doFinal((recipient + "\n" + messageId).getBytes(StandardCharsets.UTF_8));
        return BaseEncoding.base64Url().omitPadding().encode(signature);
    }
}
