package org.splitdomain.settings;

/**
 * A store kept in a database that several James nodes (or a restarted one) read. Routing never
 * reads it per recipient: {@link CachedSplitRoutingStore} holds a copy and reloads it when
 * {@link #generation()} moves.
 */
public interface SharedSplitRoutingStore extends SplitRoutingStore {
    /**
     * A number that every completed write, made by any node, changes. Read once per refresh
     * period, so it must be one cheap read.
     */
    long generation();
}
