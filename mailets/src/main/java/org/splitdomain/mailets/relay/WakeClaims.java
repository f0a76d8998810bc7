package org.splitdomain.mailets.relay;

import java.time.Duration;

import com.google.inject.ImplementedBy;

/**
 * Who wakes a waiting mail: nodes that share a waiting room each look for mail that is due, and the first to claim a
 * mail's stay moves it to the queue; the others leave it. A claim lapses after {@code hold}, so that a mail whose
 * waker died is woken by another node.
 */
@ImplementedBy(InProcessWakeClaims.class)
public interface WakeClaims {
    /** Whether the caller may wake the stay {@code waitId}: {@code true} for one caller only until {@code hold} has passed. */
    boolean claim(String waitId, Duration hold);
}
