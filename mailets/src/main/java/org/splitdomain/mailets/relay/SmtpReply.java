package org.splitdomain.mailets.relay;

import java.util.Optional;

/** One reply of an SMTP server: its code and its text as the server wrote it. */
public final class SmtpReply {
    public static SmtpReply of(int code, String text) {
        return new SmtpReply(code, Optional.ofNullable(text).map(String::trim).orElse(String.valueOf(code)));
    }

    private final int code;
    private final String text;

    private SmtpReply(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int getCode() {
        return code;
    }

    /** The whole reply line(s), code included, as the server sent them. */
    public String getText() {
        return text;
    }

    public boolean isPositive() {
        return code / 100 == 2;
    }

    public boolean isPermanentFailure() {
        return code / 100 == 5;
    }

    @Override
    public String toString() {
        return text;
    }
}
