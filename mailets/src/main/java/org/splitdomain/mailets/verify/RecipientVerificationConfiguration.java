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
 * probe.timeout=5s              # longer than this: 450, the sender retries (the probe goes on and fills the cache)
 * cache.positive.lifetime=7d    # a recipient the relay accepted
 * cache.negative.lifetime=1h    # a recipient the relay refused
 * cache.size=100000             # answers kept, least used dropped first
 * circuit.failures=5            # failed probes in a row that open a relay's circuit
 * circuit.open.time=30s         # how long an open circuit answers 450 without probing
 * probes.per.relay=10           # probes in flight to one relay at most
 * </pre>
 */
public final class RecipientVerificationConfiguration {
    public static final String FILE_NAME = "split-recipient-verification";
    public static final String LOCATION = "conf/" + FILE_NAME + ".properties";
    static final String PROBE_TIMEOUT = "probe.timeout";
    static final String POSITIVE_LIFETIME = "cache.positive.lifetime";
    static final String NEGATIVE_LIFETIME = "cache.negative.lifetime";
    static final String CACHE_SIZE = "cache.size";
    static final String CIRCUIT_FAILURES = "circuit.failures";
    static final String CIRCUIT_OPEN_TIME = "circuit.open.time";
    static final String PROBES_PER_RELAY = "probes.per.relay";

    public static RecipientVerificationConfiguration from(PropertiesProvider propertiesProvider) throws ConfigurationException {
        try {
            return from(propertiesProvider.getConfiguration(FILE_NAME));
        } catch (FileNotFoundException e) {
            return from(new PropertiesConfiguration());
        }
    }

    public static RecipientVerificationConfiguration from(Configuration configuration) throws ConfigurationException {
        return new RecipientVerificationConfiguration(
            duration(configuration, PROBE_TIMEOUT, "5s"),
            duration(configuration, POSITIVE_LIFETIME, "7d"),
            duration(configuration, NEGATIVE_LIFETIME, "1h"),
            positive(configuration, CACHE_SIZE, 100_000),
            positive(configuration, CIRCUIT_FAILURES, 5),
            duration(configuration, CIRCUIT_OPEN_TIME, "30s"),
            positive(configuration, PROBES_PER_RELAY, 10));
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

    private final Duration probeTimeout;
    private final Duration positiveLifetime;
    private final Duration negativeLifetime;
    private final int cacheSize;
    private final int circuitFailures;
    private final Duration circuitOpenTime;
    private final int probesPerRelay;

    public RecipientVerificationConfiguration(Duration probeTimeout, Duration positiveLifetime, Duration negativeLifetime, int cacheSize,
                                              int circuitFailures, Duration circuitOpenTime, int probesPerRelay) {
        this.probeTimeout = probeTimeout;
        this.positiveLifetime = positiveLifetime;
        this.negativeLifetime = negativeLifetime;
        this.cacheSize = cacheSize;
        this.circuitFailures = circuitFailures;
        this.circuitOpenTime = circuitOpenTime;
        this.probesPerRelay = probesPerRelay;
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
}
