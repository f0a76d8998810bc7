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

import java.io.Closeable;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery side of the relay queue, put together from its parts: the {@link DequeueWorker} that takes due mail
 * and has it attempted ({@link RelayAttempt}, with {@link RetryPolicy} and {@link RelayBouncer}), the
 * {@link RelayWaker} that brings waiting mail back when due, and the {@link RelayClient} that speaks to the relays.
 * Building it starts nothing; {@link #start} starts delivering once James has started: before that, James's mailet
 * context cannot take the mail handed back to its processing, nor a DSN.
 */
public final class RelayDeliveryEngine implements Closeable {
    private static final Logger LOGGER = LoggerFactory.getLogger(RelayDeliveryEngine.class);
    private static final Duration STARTED_POLL = Duration.ofMillis(100);

    private final String mailetName;
    private final RelayClient client;
    private final DequeueWorker worker;
    private final RelayWaker waker;
    private ScheduledExecutorService starter;
    private volatile boolean delivering;

    public RelayDeliveryEngine(String mailetName, RelayClient client, DequeueWorker worker, RelayWaker waker) {
        this.mailetName = mailetName;
        this.client = client;
        this.worker = worker;
        this.waker = waker;
    }

    /** Starts delivering as soon as {@code jamesStarted} says so. */
    public synchronized void start(BooleanSupplier jamesStarted) {
        starter = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "split-domain-relay-start");
            thread.setDaemon(true);
            return thread;
        });
        starter.scheduleWithFixedDelay(() -> {
            if (!delivering && jamesStarted.getAsBoolean()) {
                startNow();
                starter.shutdown();
            }
        }, 0, STARTED_POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void startNow() {
        if (delivering) {
            return;
        }
        client.start();
        worker.start();
        waker.start();
        delivering = true;
        LOGGER.info("{}: James has started, relay delivery starts", mailetName);
    }

    /** Whether mail is being delivered (James has started). */
    public boolean isDelivering() {
        return delivering;
    }

    @Override
    public synchronized void close() {
        if (starter != null) {
            starter.shutdownNow();
        }
        waker.close();
        worker.close();
    }
}
