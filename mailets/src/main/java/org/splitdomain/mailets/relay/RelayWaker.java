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

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves waiting mail to the queue once it is due, looking at the waiting room every {@link #PERIOD}: a mail is never
 * attempted before its time, and at most that much after it. Every node runs one; claims keep a mail to one of them.
 */
public final class RelayWaker implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(RelayWaker.class);
    static final Duration PERIOD = Duration.ofMillis(500);

    private final String mailetName;
    private final RelayQueue queue;
    private ScheduledExecutorService timer;

    public RelayWaker(String mailetName, RelayQueue queue) {
        this.mailetName = mailetName;
        this.queue = queue;
    }

    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "split-domain-relay-waker");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::wakeDue, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * One look at the waiting room: the mails due are handed to the relay queue's wakers, and the look ends without
     * waiting for them, so that a mail whose enqueue stalls holds neither the next look nor the other mails.
     */
    public void wakeDue() {
        try {
            queue.wakeDue().subscribe(
                woken -> {
                    if (woken > 0) {
                        LOGGER.debug("{}: {} mails due, back in queue {}", mailetName, woken, queue.getQueueName());
                    }
                },
                e -> LOGGER.error("{}: mail due could not be moved to queue {}; looking again in {}", mailetName, queue.getQueueName(),
                    PERIOD, e));
        } catch (Exception e) {
            LOGGER.error("{}: cannot look for mail due in the waiting room; looking again in {}", mailetName, PERIOD, e);
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
