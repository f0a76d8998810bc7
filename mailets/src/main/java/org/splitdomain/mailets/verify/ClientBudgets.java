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
package org.splitdomain.mailets.verify;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * What one SMTP client may cost the partner and this server's SMTP threads: {@code perMinute} probes started on its
 * behalf in any minute, and {@code inFlight} probes running or RCPTs waiting for one at a time. Past either, the client
 * gets no probe and no wait: a harvester learns at most {@code perMinute} new answers a minute, and an attacker holds
 * at most {@code inFlight} SMTP threads for {@code rcpt.budget} each.
 *
 * <p>A client is its IPv4 address, or the /64 network of its IPv6 address (what one host is usually given). Clients
 * not seen for two minutes are forgotten; at most {@link #MAX_CLIENTS} are remembered.</p>
 */
final class ClientBudgets {
    static final int MAX_CLIENTS = 100_000;
    private static final Duration WINDOW = Duration.ofMinutes(1);

    /** A slot taken from a client's budget: closing it ends the probe or the wait it was taken for. */
    interface Slot extends AutoCloseable {
        @Override
        void close();

        /** Gives the slot back as if it had never been taken: the probe it was taken for was not sent. */
        void refund();
    }

    private final int perMinute;
    private final int inFlight;
    private final Clock clock;
    private final Cache<String, Client> clients;

    ClientBudgets(int perMinute, int inFlight, Clock clock) {
        this.perMinute = perMinute;
        this.inFlight = inFlight;
        this.clock = clock;
        this.clients = Caffeine.newBuilder()
            .expireAfterAccess(WINDOW.multipliedBy(2))
            .maximumSize(MAX_CLIENTS)
            .build();
    }

    /** A slot to start a probe for this client, unless it has used its probes of the minute or has too many in flight. */
    Optional<Slot> probe(InetAddress client) {
        return client(client).probe(clock.instant());
    }

    /** A slot to wait for a probe already running, unless the client already has too many in flight. */
    Optional<Slot> waiting(InetAddress client) {
        return client(client).waiting();
    }

    private Client client(InetAddress address) {
        return clients.get(key(address), any -> new Client());
    }

    static String key(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] network = Arrays.copyOf(address.getAddress(), 16);
            Arrays.fill(network, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/64";
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return address.getHostAddress();
    }

    private final class Client {
        private final ArrayDeque<Instant> probesStarted = new ArrayDeque<>();
        private int running;

        synchronized Optional<Slot> probe(Instant now) {
            while (!probesStarted.isEmpty() && !probesStarted.peekFirst().isAfter(now.minus(WINDOW))) {
                probesStarted.removeFirst();
            }
            if (running >= inFlight || probesStarted.size() >= perMinute) {
                return Optional.empty();
            }
            running++;
            probesStarted.addLast(now);
            return Optional.of(new ClientSlot(this, Optional.of(now)));
        }

        synchronized Optional<Slot> waiting() {
            if (running >= inFlight) {
                return Optional.empty();
            }
            running++;
            return Optional.of(new ClientSlot(this, Optional.empty()));
        }

        synchronized void release(Optional<Instant> probeStarted) {
            running--;
            probeStarted.ifPresent(probesStarted::removeLastOccurrence);
        }

        synchronized void end() {
            running--;
        }
    }

    private static final class ClientSlot implements Slot {
        private final Client client;
        private final Optional<Instant> probeStarted;
        private boolean closed;

        private ClientSlot(Client client, Optional<Instant> probeStarted) {
            this.client = client;
            this.probeStarted = probeStarted;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                client.end();
            }
        }

        @Override
        public synchronized void refund() {
            if (!closed) {
                closed = true;
                client.release(probeStarted);
            }
        }
    }
}
