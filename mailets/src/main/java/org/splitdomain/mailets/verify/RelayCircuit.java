package org.splitdomain.mailets.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The circuit breaker of one relay's probes: after {@code failures} probes in a row without a final
 * answer within {@code rcpt.budget} (down, refusing for now, or answering so slowly that RCPTs wait for
 * nothing: a tarpit), the relay is not probed for {@code openTime}, so that such a relay costs each RCPT
 * nothing. Once that time has passed one probe is let through: an answer in time closes the circuit,
 * another failure opens it again at once.
 */
final class RelayCircuit {
    private final int failures;
    private final Duration openTime;
    private int failuresInARow;
    private Instant openUntil;

    RelayCircuit(int failures, Duration openTime) {
        this.failures = failures;
        this.openTime = openTime;
    }

    synchronized boolean isOpen(Instant now) {
        return openUntil != null && now.isBefore(openUntil);
    }

    synchronized Optional<Instant> openUntil() {
        return Optional.ofNullable(openUntil);
    }

    synchronized void answered() {
        failuresInARow = 0;
        openUntil = null;
    }

    /** Whether this failure opened the circuit. */
    synchronized boolean failed(Instant now) {
        failuresInARow++;
        if (failuresInARow >= failures) {
            boolean opening = !isOpen(now);
            openUntil = now.plus(openTime);
            return opening;
        }
        return false;
    }
}
