package org.splitdomain.webadmin;

/**
 * Where the split-routing routes hang: each route class adds its own paths under these, so that none borrows
 * another's. {@code /domains} and {@code /users} are James's own.
 */
public final class SplitRoutingPaths {
    public static final String SPLIT_ROUTING = "/split-routing";
    public static final String DOMAINS = "/domains";
    public static final String USERS = "/users";

    private SplitRoutingPaths() {
    }
}
