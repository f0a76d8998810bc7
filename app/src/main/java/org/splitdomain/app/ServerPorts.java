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
package org.splitdomain.app;

import java.util.Map;
import java.util.Optional;

import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableMap;

/**
 * Ports to use instead of those written in a configuration directory, so that two servers (a master
 * and a slave) run side by side on one host, or a configuration can be tried without root ports.
 * Keys: {@code smtp} (25), {@code submission} (587), {@code imap} (143), {@code pop3} (110),
 * {@code webadmin} (8000). Port 0 picks a free port.
 */
public final class ServerPorts {
    static final Map<String, Integer> STANDARD_PORTS = ImmutableMap.of(
        "smtp", 25,
        "submission", 587,
        "smtps", 465,
        "imap", 143,
        "imaps", 993,
        "pop3", 110,
        "webadmin", 8000);

    public static ServerPorts unchanged() {
        return new ServerPorts(ImmutableMap.of());
    }

    /** Every port picked by the system: for tests. */
    public static ServerPorts allEphemeral() {
        return new ServerPorts(STANDARD_PORTS.keySet().stream()
            .collect(ImmutableMap.toImmutableMap(name -> name, name -> 0)));
    }

    /** {@code smtp=2525,submission=2587,imap=1143,webadmin=8001} */
    public static ServerPorts parse(String value) {
        ImmutableMap.Builder<String, Integer> ports = ImmutableMap.builder();
        for (Map.Entry<String, String> entry : Splitter.on(',').trimResults().omitEmptyStrings()
            .withKeyValueSeparator('=').split(value).entrySet()) {
            if (!STANDARD_PORTS.containsKey(entry.getKey())) {
                throw new IllegalArgumentException("--ports: unknown port name '" + entry.getKey() + "', expected one of " + STANDARD_PORTS.keySet());
            }
            int port;
            try {
                port = Integer.parseInt(entry.getValue());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--ports: " + entry.getKey() + " must be a number, got '" + entry.getValue() + "'");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("--ports: " + entry.getKey() + " must be 0-65535, got " + port);
            }
            ports.put(entry.getKey(), port);
        }
        return new ServerPorts(ports.build());
    }

    private final ImmutableMap<String, Integer> ports;

    private ServerPorts(ImmutableMap<String, Integer> ports) {
        this.ports = ports;
    }

    Optional<Integer> replacementFor(String name) {
        return Optional.ofNullable(ports.get(name));
    }

    public Map<String, Integer> asMap() {
        return ports;
    }
}
