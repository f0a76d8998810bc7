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
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.mail.MessagingException;

import org.apache.james.transport.mailets.remote.delivery.Delay;
import org.apache.james.transport.mailets.remote.delivery.DelaysAndMaxRetry;
import org.apache.james.util.DurationParser;
import org.apache.mailet.MailetConfig;
import org.splitdomain.settings.RelayHost;

import com.google.common.base.CharMatcher;
import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.common.net.InetAddresses;

/**
 * The parameters of {@code SplitRoutingRemoteDelivery}, read and checked once at {@code init()}:
 * a bad value stops James with the mailet, the parameter and the value named.
 */
public final class RelayDeliveryConfiguration {
    public static final String OUTGOING = "outgoing";
    public static final String BOUNCE_PROCESSOR = "bounceProcessor";
    public static final String REROUTE_PROCESSOR = "rerouteProcessor";
    public static final String DELAY_TIME = "delayTime";
    public static final String MAX_RETRIES = "maxRetries";
    public static final String TIMEOUT = "timeout";
    public static final String CONNECTION_TIMEOUT = "connectiontimeout";
    public static final String HELO_NAME = "heloName";
    public static final String BIND_ADDRESS = "bindAddress";
    public static final String DELIVERY_THREADS = "deliveryThreads";
    public static final String MAX_CONNECTIONS_PER_RELAY = "maxConnectionsPerRelay";
    public static final String CONNECTION_IDLE_TIME = "connectionIdleTime";
    public static final String CONNECTION_REUSE_TIME = "connectionReuseTime";
    public static final String FAILED_RELAY_TIME = "failedRelayTime";
    public static final String LOOP_SECRET = "loopSecret";
    public static final String LOOP_SECRET_FILE = "loopSecretFile";
    public static final String LOOP_MARK_LIFETIME = "loopMarkLifetime";
    public static final String TLS_TRUST_STORE = "tlsTrustStore";
    public static final String TLS_TRUST_STORE_PASSWORD = "tlsTrustStorePassword";
    public static final String WAITING_ROOM = "waitingRoom";
    /**
     * James spool threads that may deliver a mail to its relays at once ({@link ImmediateDelivery}), all relays together
     * (default 8; keep it below the spooler's {@code threads}); 0: every relayed mail goes through the relay queue.
     */
    public static final String IMMEDIATE_DELIVERY_THREADS = "immediateDeliveryThreads";
    /**
     * A relay whose connection or transaction takes longer than this (default {@code 2 seconds}) gets mail from the relay
     * queue's threads only, until one of its deliveries ends within it again ({@link RelayPace}).
     */
    public static final String SLOW_RELAY_TIME = "slowRelayTime";

    public static final String DEFAULT_OUTGOING = "split-domain-relay";
    /** The waiting room's path; its protocol is the default one of mailrepositorystore.xml (memory, file for JPA, cassandra). */
    public static final String DEFAULT_WAITING_ROOM_PATH = "var/mail/split-domain-relay-waiting/";
    public static final String DEFAULT_BOUNCE_PROCESSOR = "bounces";
    public static final String DEFAULT_REROUTE_PROCESSOR = "transport";
    public static final String DEFAULT_DELAY_TIME = "1 minute, 5 minutes, 30 minutes, 2 hours, 6 hours";
    public static final int DEFAULT_MAX_RETRIES = 5;
    // RemoteDelivery's defaults: a relay that accepts the connection but answers slowly still gets three minutes.
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(3);
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofMinutes(1);
    public static final int DEFAULT_DELIVERY_THREADS = 40;
    // Postfix's default_destination_concurrency_limit.
    public static final int DEFAULT_MAX_CONNECTIONS_PER_RELAY = 20;
    // Postfix's smtp_connection_cache_time_limit and smtp_connection_reuse_time_limit.
    public static final Duration DEFAULT_CONNECTION_IDLE_TIME = Duration.ofSeconds(2);
    public static final Duration DEFAULT_CONNECTION_REUSE_TIME = Duration.ofSeconds(300);
    public static final Duration DEFAULT_FAILED_RELAY_TIME = Duration.ofSeconds(30);
    // Below james-conf's 20 spooler threads: whatever the relays do, most of the spool is left to local delivery.
    public static final int DEFAULT_IMMEDIATE_DELIVERY_THREADS = 8;
    public static final Duration DEFAULT_SLOW_RELAY_TIME = Duration.ofSeconds(2);
    // A mail deferred at the partner for as long as Postfix keeps mail queued can still be recognised when it comes back.
    public static final Duration DEFAULT_LOOP_MARK_LIFETIME = Duration.ofDays(5);

    /** Parameters of the mailet before the relay engine, with what replaced them: an upgrade is told, not ignored. */
    static final ImmutableMap<String, String> RETIRED_PARAMETERS = ImmutableMap.<String, String>builder()
        .put("outgoingPrefix", "all relays now share one mail queue, named by '" + OUTGOING + "'")
        .put("unroutableProcessor", "recipients no relay applies to any more go to '" + REROUTE_PROCESSOR + "' (default "
            + DEFAULT_REROUTE_PROCESSOR + ") and are handled as James now handles them")
        .put("sendpartial", "each recipient has its own outcome: the relay's refusal of one never holds back the others")
        .put("startTLS", "TLS is a policy of each relay in the domain settings: \"tls\": none, may, encrypt or verify")
        .put("sslEnable", "TLS is a policy of each relay in the domain settings: \"tls\": none, may, encrypt or verify")
        .put("verifyServerIdentity", "TLS is a policy of each relay in the domain settings: \"tls\": \"verify\" checks the certificate")
        .put("gatewayUsername", "AUTH is a policy of each relay in the domain settings: \"credential\" names an entry of conf/split-relay-credentials.properties")
        .put("gatewayPassword", "AUTH is a policy of each relay in the domain settings: \"credential\" names an entry of conf/split-relay-credentials.properties")
        .put("maxDnsProblemRetries", "a relay whose name does not resolve is retried like a relay that is down, up to '" + MAX_RETRIES + "'")
        .put("gateway", "the relays come from each domain's split-routing settings")
        .put("gatewayPort", "the relays come from each domain's split-routing settings")
        .put("loadBalancing", "the relays of a domain are always tried in their order")
        .build();

    public static final Set<String> ALLOWED_PARAMETERS = ImmutableSet.of(OUTGOING, BOUNCE_PROCESSOR, REROUTE_PROCESSOR,
        DELAY_TIME, MAX_RETRIES, TIMEOUT, CONNECTION_TIMEOUT, HELO_NAME, BIND_ADDRESS, DELIVERY_THREADS,
        MAX_CONNECTIONS_PER_RELAY, CONNECTION_IDLE_TIME, CONNECTION_REUSE_TIME, FAILED_RELAY_TIME, LOOP_SECRET, LOOP_SECRET_FILE,
        LOOP_MARK_LIFETIME, TLS_TRUST_STORE, TLS_TRUST_STORE_PASSWORD, WAITING_ROOM, IMMEDIATE_DELIVERY_THREADS, SLOW_RELAY_TIME);

    // RabbitMQ refuses queue names over 255 bytes; James's own queues keep to these characters.
    private static final CharMatcher QUEUE_NAME_CHARS = CharMatcher.inRange('a', 'z')
        .or(CharMatcher.inRange('A', 'Z'))
        .or(CharMatcher.inRange('0', '9'))
        .or(CharMatcher.anyOf(".-_"));
    private static final int MAX_QUEUE_NAME_LENGTH = 200;

    public static RelayDeliveryConfiguration from(MailetConfig config) throws MessagingException {
        return new Reader(config).read();
    }

    private static final class Reader {
        private final String mailetName;
        private final Function<String, Optional<String>> parameter;

        private Reader(MailetConfig config) {
            this.mailetName = config.getMailetName();
            this.parameter = name -> Optional.ofNullable(config.getInitParameter(name)).map(String::trim);
        }

        private RelayDeliveryConfiguration read() throws MessagingException {
            for (var retired : RETIRED_PARAMETERS.entrySet()) {
                if (parameter.apply(retired.getKey()).isPresent()) {
                    throw error("'" + retired.getKey() + "' is no longer a parameter: " + retired.getValue());
                }
            }
            String outgoing = text(OUTGOING, DEFAULT_OUTGOING);
            if (!QUEUE_NAME_CHARS.matchesAllOf(outgoing) || outgoing.length() > MAX_QUEUE_NAME_LENGTH) {
                throw error("'" + OUTGOING + "' must be 1-" + MAX_QUEUE_NAME_LENGTH + " letters, digits, '.', '-' and '_', got '" + outgoing + "'");
            }
            int maxRetries = integer(MAX_RETRIES, DEFAULT_MAX_RETRIES, 0);
            String delayTime = text(DELAY_TIME, DEFAULT_DELAY_TIME);
            ImmutableList<Duration> delays = delays(maxRetries, delayTime);
            Optional<String> loopSecret = parameter.apply(LOOP_SECRET);
            if (loopSecret.isPresent() && loopSecret.get().length() < 16) {
                throw error("'" + LOOP_SECRET + "' must be at least 16 characters long");
            }
            Optional<String> loopSecretFile = parameter.apply(LOOP_SECRET_FILE).filter(path -> !path.isEmpty());
            if (loopSecret.isPresent() && loopSecretFile.isPresent()) {
                throw error("give '" + LOOP_SECRET + "' or '" + LOOP_SECRET_FILE + "', not both");
            }
            return new RelayDeliveryConfiguration(outgoing,
                text(BOUNCE_PROCESSOR, DEFAULT_BOUNCE_PROCESSOR),
                text(REROUTE_PROCESSOR, DEFAULT_REROUTE_PROCESSOR),
                maxRetries,
                delays,
                milliseconds(TIMEOUT, DEFAULT_TIMEOUT),
                milliseconds(CONNECTION_TIMEOUT, DEFAULT_CONNECTION_TIMEOUT),
                parameter.apply(HELO_NAME).filter(name -> !name.isEmpty()),
                bindAddress(),
                integer(DELIVERY_THREADS, DEFAULT_DELIVERY_THREADS, 1),
                integer(MAX_CONNECTIONS_PER_RELAY, DEFAULT_MAX_CONNECTIONS_PER_RELAY, 1),
                duration(CONNECTION_IDLE_TIME, DEFAULT_CONNECTION_IDLE_TIME),
                duration(CONNECTION_REUSE_TIME, DEFAULT_CONNECTION_REUSE_TIME),
                duration(FAILED_RELAY_TIME, DEFAULT_FAILED_RELAY_TIME),
                loopSecret,
                loopSecretFile,
                duration(LOOP_MARK_LIFETIME, DEFAULT_LOOP_MARK_LIFETIME),
                parameter.apply(TLS_TRUST_STORE).filter(path -> !path.isEmpty()),
                parameter.apply(TLS_TRUST_STORE_PASSWORD),
                waitingRoom(),
                integer(IMMEDIATE_DELIVERY_THREADS, DEFAULT_IMMEDIATE_DELIVERY_THREADS, 0),
                duration(SLOW_RELAY_TIME, DEFAULT_SLOW_RELAY_TIME));
        }

        // A James mail repository URL such as file://var/mail/relay-waiting/, or a path under the default protocol.
        private Optional<String> waitingRoom() throws MessagingException {
            Optional<String> value = parameter.apply(WAITING_ROOM).filter(url -> !url.isEmpty());
            if (value.isPresent() && value.get().startsWith("://")) {
                throw error("'" + WAITING_ROOM + "' must be a mail repository URL such as 'file://var/mail/split-domain-relay-waiting/', got '"
                    + value.get() + "'");
            }
            return value;
        }

        private String text(String name, String defaultValue) throws MessagingException {
            String value = parameter.apply(name).orElse(defaultValue);
            if (value.isEmpty()) {
                throw error("'" + name + "' must not be empty");
            }
            return value;
        }

        private int integer(String name, int defaultValue, int minimum) throws MessagingException {
            Optional<String> value = parameter.apply(name);
            if (value.isEmpty()) {
                return defaultValue;
            }
            try {
                int parsed = Integer.parseInt(value.get());
                if (parsed >= minimum) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw error("'" + name + "' must be a whole number, " + minimum + " or more, got '" + value.get() + "'");
        }

        // RemoteDelivery's unit for these two: milliseconds, a plain number.
        private Duration milliseconds(String name, Duration defaultValue) throws MessagingException {
            Optional<String> value = parameter.apply(name);
            if (value.isEmpty()) {
                return defaultValue;
            }
            try {
                long parsed = Long.parseLong(value.get());
                if (parsed > 0 && parsed <= Integer.MAX_VALUE) {
                    return Duration.ofMillis(parsed);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw error("'" + name + "' must be a positive number of milliseconds, got '" + value.get() + "'");
        }

        private Duration duration(String name, Duration defaultValue) throws MessagingException {
            Optional<String> value = parameter.apply(name);
            if (value.isEmpty()) {
                return defaultValue;
            }
            try {
                Duration parsed = DurationParser.parse(value.get(), ChronoUnit.SECONDS);
                if (!parsed.isNegative() && !parsed.isZero()) {
                    return parsed;
                }
            } catch (RuntimeException e) {
                // reported below
            }
            throw error("'" + name + "' must be a positive duration such as '2 seconds' or '5 minutes', got '" + value.get() + "'");
        }

        private Optional<String> bindAddress() throws MessagingException {
            Optional<String> value = parameter.apply(BIND_ADDRESS).filter(address -> !address.isEmpty());
            if (value.isPresent() && !InetAddresses.isInetAddress(value.get())) {
                throw error("'" + BIND_ADDRESS + "' must be an IP address of this host, got '" + value.get() + "'");
            }
            return value;
        }

        private ImmutableList<Duration> delays(int maxRetries, String delayTime) throws MessagingException {
            try {
                // James's DelaysAndMaxRetry keeps the delays before the first bad one and silently drops the rest.
                for (String delay : Splitter.on(',').omitEmptyStrings().trimResults().split(delayTime)) {
                    if (Delay.from(delay).getDelayTime().isZero()) {
                        throw new MessagingException("'" + delay + "' is shorter than a second");
                    }
                }
                DelaysAndMaxRetry delays = DelaysAndMaxRetry.from(maxRetries, delayTime);
                return delays.getExpandedDelays();
            } catch (Exception e) {
                throw error("'" + DELAY_TIME + "' is not a list of delays such as '" + DEFAULT_DELAY_TIME
                    + "', got '" + delayTime + "': " + e.getMessage());
            }
        }

        private MessagingException error(String message) {
            return new MessagingException(mailetName + ": " + message);
        }
    }

    private final String outgoing;
    private final String bounceProcessor;
    private final String rerouteProcessor;
    private final int maxRetries;
    private final ImmutableList<Duration> delays;
    private final Duration timeout;
    private final Duration connectionTimeout;
    private final Optional<String> heloName;
    private final Optional<String> bindAddress;
    private final int deliveryThreads;
    private final int maxConnectionsPerRelay;
    private final Duration connectionIdleTime;
    private final Duration connectionReuseTime;
    private final Duration failedRelayTime;
    private final Optional<String> loopSecret;
    private final Optional<String> loopSecretFile;
    private final Duration loopMarkLifetime;
    private final Optional<String> tlsTrustStore;
    private final Optional<String> tlsTrustStorePassword;
    private final Optional<String> waitingRoom;
    private final int immediateDeliveryThreads;
    private final Duration slowRelayTime;

    private RelayDeliveryConfiguration(String outgoing, String bounceProcessor, String rerouteProcessor, int maxRetries,
                                       ImmutableList<Duration> delays, Duration timeout, Duration connectionTimeout,
                                       Optional<String> heloName, Optional<String> bindAddress, int deliveryThreads,
                                       int maxConnectionsPerRelay, Duration connectionIdleTime, Duration connectionReuseTime,
                                       Duration failedRelayTime, Optional<String> loopSecret, Optional<String> loopSecretFile,
                                       Duration loopMarkLifetime,
                                       Optional<String> tlsTrustStore, Optional<String> tlsTrustStorePassword,
                                       Optional<String> waitingRoom, int immediateDeliveryThreads, Duration slowRelayTime) {
        this.outgoing = outgoing;
        this.bounceProcessor = bounceProcessor;
        this.rerouteProcessor = rerouteProcessor;
        this.maxRetries = maxRetries;
        this.delays = delays;
        this.timeout = timeout;
        this.connectionTimeout = connectionTimeout;
        this.heloName = heloName;
        this.bindAddress = bindAddress;
        this.deliveryThreads = deliveryThreads;
        this.maxConnectionsPerRelay = maxConnectionsPerRelay;
        this.connectionIdleTime = connectionIdleTime;
        this.connectionReuseTime = connectionReuseTime;
        this.failedRelayTime = failedRelayTime;
        this.loopSecret = loopSecret;
        this.loopSecretFile = loopSecretFile;
        this.loopMarkLifetime = loopMarkLifetime;
        this.tlsTrustStore = tlsTrustStore;
        this.tlsTrustStorePassword = tlsTrustStorePassword;
        this.waitingRoom = waitingRoom;
        this.immediateDeliveryThreads = immediateDeliveryThreads;
        this.slowRelayTime = slowRelayTime;
    }

    /** The one James mail queue every relayed mail waits in, whatever its relays. */
    public String getOutgoing() {
        return outgoing;
    }

    public String getBounceProcessor() {
        return bounceProcessor;
    }

    /** Where recipients go that no relay applies to any more: James's processing, as it now decides. */
    public String getRerouteProcessor() {
        return rerouteProcessor;
    }

    /** Attempts after the first one before the mail is given up with a DSN. */
    public int getMaxRetries() {
        return maxRetries;
    }

    /** The wait before retry {@code n} (1 for the first retry). */
    public Duration delayBeforeRetry(int retry) {
        if (delays.isEmpty()) {
            return Delay.DEFAULT_DELAY_TIME;
        }
        return delays.get(Math.min(retry, delays.size()) - 1);
    }

    public List<Duration> getDelays() {
        return delays;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public Duration getConnectionTimeout() {
        return connectionTimeout;
    }

    public Optional<String> getHeloName() {
        return heloName;
    }

    public Optional<String> getBindAddress() {
        return bindAddress;
    }

    public int getDeliveryThreads() {
        return deliveryThreads;
    }

    public int getMaxConnectionsPerRelay() {
        return maxConnectionsPerRelay;
    }

    public Duration getConnectionIdleTime() {
        return connectionIdleTime;
    }

    public Duration getConnectionReuseTime() {
        return connectionReuseTime;
    }

    public Duration getFailedRelayTime() {
        return failedRelayTime;
    }

    /** The secret that signs loop marks; empty when none is configured. */
    public Optional<String> getLoopSecret() {
        return loopSecret;
    }

    /** A James path ({@code file://conf/split-domain-loop.secret}) to the file holding the loop secret. */
    public Optional<String> getLoopSecretFile() {
        return loopSecretFile;
    }

    public Duration getLoopMarkLifetime() {
        return loopMarkLifetime;
    }

    /** The trust store of the {@code verify} level, a James file location such as {@code file://conf/relay-trust.p12}; else the JVM's. */
    public Optional<String> getTlsTrustStore() {
        return tlsTrustStore;
    }

    public Optional<String> getTlsTrustStorePassword() {
        return tlsTrustStorePassword;
    }

    /** The mail repository (URL, or path under the default protocol) where mail waits for its next attempt; empty: the default path. */
    public Optional<String> getWaitingRoom() {
        return waitingRoom;
    }

    /** James spool threads that may deliver a mail to its relays at once, all relays together; 0: every mail goes through the queue. */
    public int getImmediateDeliveryThreads() {
        return immediateDeliveryThreads;
    }

    /** A relay whose connection or transaction takes longer than this gets mail from the relay queue's threads only, not the spool's. */
    public Duration getSlowRelayTime() {
        return slowRelayTime;
    }

    /** {@code host:port,host:port}: how logs and bounces name a relay list. */
    public static String relayNames(List<RelayHost> relays) {
        return relays.stream().map(RelayHost::asString).collect(Collectors.joining(","));
    }
}
