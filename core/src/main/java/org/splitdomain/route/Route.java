package org.splitdomain.route;

/** Where one recipient goes. */
public enum Route {
    /** A mailbox of this server: James's local delivery. */
    LOCAL("local"),
    /** The relay of a split domain: the other system's SMTP server. */
    RELAY("relay"),
    /** An address of a local domain that nobody knows: rejected at RCPT, bounced if it got in. */
    REJECT("reject"),
    /** A domain this server does not manage: James's own remote delivery (relay authorisation applies). */
    REMOTE("remote");

    private final String value;

    Route(String value) {
        this.value = value;
    }

    public String asString() {
        return value;
    }
}
