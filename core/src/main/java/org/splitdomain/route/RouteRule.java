package org.splitdomain.route;

/** The routing rule that took a decision, named as in the README's routing table. */
public enum RouteRule {
    THIRD_PARTY("third-party"),
    THIRD_PARTY_AFTER_MAPPING("third-party-after-mapping"),
    THIRD_PARTY_WITHOUT_RELAY("third-party-without-relay"),
    FORWARD_UNKNOWN("forward-unknown"),
    LOCAL_USER("local-user"),
    MAPPING_ERROR("mapping-error"),
    UNKNOWN_LOCAL("unknown-local"),
    REMOTE_DOMAIN("remote-domain");

    private final String value;

    RouteRule(String value) {
        this.value = value;
    }

    public String asString() {
        return value;
    }
}
