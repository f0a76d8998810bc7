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

import java.io.FileNotFoundException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.PropertiesConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.util.DurationParser;
import org.apache.james.utils.PropertiesProvider;

/**
 * How recipients are verified with a relay, from {@code conf/split-recipient-verification.properties}
 * (every key optional; the file too). Which domains are verified is a domain setting
 * ({@code verifyRecipients}), not this file's.
 *
 * <pre>
 * rcpt.budget=1s                # the longest an RCPT waits for a probe: past it, 450 "in progress", the probe goes on
 * probe.timeout=30s             # each wait of a probe (connect, every reply): its late answer serves the sender's retry
 * cache.positive.lifetime=7d    # a recipient the relay accepted
 * cache.negative.lifetime=1h    # a recipient the relay refused
 * cache.size=100000             # answers kept, least used dropped first
 * circuit.failures=5            # probes in a row without an answer in rcpt.budget that open a relay's circuit
 * circuit.open.time=30s         # how long an open circuit answers 450 without probing
 * probes.per.relay=10           # probes in flight to one relay at most
 * client.probes.per.minute=30   # probes one client address may cause in a minute
 * client.probes.in.flight=2     # probes (and waits for one) of one client address at a time
 * </pre>
 *
 * <p>{@code rcpt.budget} must be shorter than {@code probe.timeout}: a probe that ends when the RCPT stops
 * waiting would never have an answer for the retry.</p>
 */
public final class RecipientVerificationConfiguration {
    public static final String FILE_NAME = "split-recipient-verification";
    public static final String LOCATION = "conf/" + FILE_NAME + ".properties";
    static final String RCPT_BUDGET = "rcpt.budget";
    static final String PROBE_TIMEOUT = "probe.timeout";
    static final String POSITIVE_LIFETIME = "cache.positive.lifetime";
    static final String NEGATIVE_LIFETIME = "cache.negative.lifetime";
    static final String CACHE_SIZE = "cache.size";
    static final String CIRCUIT_FAILURES = "circuit.failures";
    static final String CIRCUIT_OPEN_TIME = "circuit.open.time";
    static final String PROBES_PER_RELAY = "probes.per.relay";
    static final String CLIENT_PROBES_PER_MINUTE = "client.probes.per.minute";
    static final String CLIENT_PROBES_IN_FLIGHT = "client.probes.in.flight";

    public static RecipientVerificationConfiguration from(PropertiesProvider propertiesProvider) throws ConfigurationException {
        try {
            return from(propertiesProvider.getConfiguration(FILE_NAME));
        } catch (FileNotFoundException e) {
            return from(new PropertiesConfiguration());
        }
    }

    public static RecipientVerificationConfiguration from(Configuration configuration) throws ConfigurationException {
        Duration rcptBudget = duration(configuration, RCPT_BUDGET, "1s");
        Duration probeTimeout = duration(configuration, PROBE_TIMEOUT, "30s");
        if (rcptBudget.compareTo(probeTimeout) >= 0) {
            throw new ConfigurationException("'" + RCPT_BUDGET + "' (" + asString(rcptBudget) + ") in " + LOCATION + " must be shorter than '"
                + PROBE_TIMEOUT + "' (" + asString(probeTimeout) + "): a probe must outlive the RCPT that started it, so that its answer "
                + "serves the sender's retry");
        }
        return new RecipientVerificationConfiguration(
            rcptBudget,
            probeTimeout,
            duration(configuration, POSITIVE_LIFETIME, "7d"),
            duration(configuration, NEGATIVE_LIFETIME, "1h"),
            positive(configuration, CACHE_SIZE, 100_000),
            positive(configuration, CIRCUIT_FAILURES, 5),
            duration(configuration, CIRCUIT_OPEN_TIME, "30s"),
            positive(configuration, PROBES_PER_RELAY, 10),
            positive(configuration, CLIENT_PROBES_PER_MINUTE, 30),
            positive(configuration, CLIENT_PROBES_IN_FLIGHT, 2));
    }

    /** A duration as this file writes it: {@code 1s}, or {@code 500ms} when it is no whole number of seconds. */
    public static String asString(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    private static Duration duration(Configuration configuration, String key, String defaultValue) throws ConfigurationException {
        String value = configuration.getString(key, defaultValue).trim();
        try {
            Duration duration = DurationParser.parse(value, ChronoUnit.SECONDS);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("it must be more than 0");
            }
            return duration;
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("'" + key + "' in " + LOCATION + " must be a duration such as 5s, 10m or 7d; got '"
                + value + "' (" + e.getMessage() + ")");
        }
    }

    private static int positive(Configuration configuration, String key, int defaultValue) throws ConfigurationException {
        String value = configuration.getString(key, String.valueOf(defaultValue)).trim();
        try {
            int number = Integer.parseInt(value);
            if (number < 1) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new ConfigurationException("'" + key + "' in " + LOCATION + " must be a whole number of 1 or more; got '" + value + "'");
        }
    }

    private final Duration rcptBudget;
    private final Duration probeTimeout;
    private final Duration positiveLifetime;
    private final Duration negativeLifetime;
    private final int cacheSize;
    private final int circuitFailures;
    private final Duration circuitOpenTime;
    private final int probesPerRelay;
    private final int clientProbesPerMinute;
    private final int clientProbesInFlight;

    private RecipientVerificationConfiguration(Duration rcptBudget, Duration probeTimeout, Duration positiveLifetime, Duration negativeLifetime,
                                               int cacheSize, int circuitFailures, Duration circuitOpenTime, int probesPerRelay,
                                               int clientProbesPerMinute, int clientProbesInFlight) {
        this.rcptBudget = rcptBudget;
        this.probeTimeout = probeTimeout;
        this.positiveLifetime = positiveLifetime;
        this.negativeLifetime = negativeLifetime;
        this.cacheSize = cacheSize;
        this.circuitFailures = circuitFailures;
        this.circuitOpenTime = circuitOpenTime;
        this.probesPerRelay = probesPerRelay;
        this.clientProbesPerMinute = clientProbesPerMinute;
        this.clientProbesInFlight = clientProbesInFlight;
    }

    public Duration getRcptBudget() {
        return rcptBudget;
    }

    public Duration getProbeTimeout() {
        return probeTimeout;
    }

    public Duration getPositiveLifetime() {
        return positiveLifetime;
    }

    public Duration getNegativeLifetime() {
        return negativeLifetime;
    }

    public int getCacheSize() {
        return cacheSize;
    }

    public int getCircuitFailures() {
        return circuitFailures;
    }

    public Duration getCircuitOpenTime() {
        return circuitOpenTime;
    }

    public int getProbesPerRelay() {
        return probesPerRelay;
    }

    public int getClientProbesPerMinute() {
        return clientProbesPerMinute;
    }

    public int getClientProbesInFlight() {
        return clientProbesInFlight;
    }
}
