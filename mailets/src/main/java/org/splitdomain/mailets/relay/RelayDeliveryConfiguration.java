package org.splitdomain.mailets.relay;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.mail.MessagingException;

import org.apache.james.transport.mailets.remote.delivery.Delay;
import org.apache.james.transport.mailets.remote.delivery.DelaysAndMaxRetry;
import org.apache.mailet.MailetConfig;
import org.splitdomain.settings.RelayHost;

import com.google.common.base.CharMatcher;
import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;

/**
 * The parameters of {@code SplitDomainRemoteDelivery}, checked once at init: a bad value stops James
 * with the parameter and the value, it never falls back to a default.
 *
 * <p>Delivery parameters keep the names of James's RemoteDelivery, so an operator can move them over
 * as they are; {@code gateway}, {@code gatewayPort} and {@code loadBalancing} are ours to set per relay list.</p>
 */
public class RelayDeliveryConfiguration {
    public static final String BOUNCE_PROCESSOR = "bounceProcessor";
    public static final String DELAY_TIME = "delayTime";
    public static final String MAX_RETRIES = "maxRetries";
    public static final String OUTGOING_PREFIX = "outgoingPrefix";
    public static final String UNROUTABLE_PROCESSOR = "unroutableProcessor";
    public static final String SEND_PARTIAL = "sendpartial";
    public static final String TIMEOUT = "timeout";
    public static final String CONNECTION_TIMEOUT = "connectiontimeout";
    public static final String START_TLS = "startTLS";
    public static final String SSL_ENABLE = "sslEnable";
    public static final String VERIFY_SERVER_IDENTITY = "verifyServerIdentity";
    public static final String HELO_NAME = "heloName";
    public static final String GATEWAY_USERNAME = "gatewayUsername";
    public static final String GATEWAY_PASSWORD = "gatewayPassword";
    public static final String MAX_DNS_PROBLEM_RETRIES = "maxDnsProblemRetries";
    public static final String LOOP_SECRET = "loopSecret";

    public static final String DEFAULT_BOUNCE_PROCESSOR = "bounces";
    public static final String DEFAULT_DELAY_TIME = "1 minute, 5 minutes, 30 minutes, 2 hours, 6 hours";
    public static final String DEFAULT_MAX_RETRIES = "5";
    public static final String DEFAULT_OUTGOING_PREFIX = "split-domain-relay";
    public static final String DEFAULT_UNROUTABLE_PROCESSOR = "error";
    // One unknown recipient at the relay must not hold back its neighbours in the same mail.
    public static final String DEFAULT_SEND_PARTIAL = "true";

    private static final Set<String> BOOLEANS = ImmutableSet.of(SEND_PARTIAL, START_TLS, SSL_ENABLE, VERIFY_SERVER_IDENTITY);
    private static final Set<String> POSITIVE_INTEGERS = ImmutableSet.of(TIMEOUT, CONNECTION_TIMEOUT);
    private static final Set<String> NON_NEGATIVE_INTEGERS = ImmutableSet.of(MAX_RETRIES, MAX_DNS_PROBLEM_RETRIES);
    private static final Set<String> PASSED_TO_REMOTE_DELIVERY = ImmutableSet.of(BOUNCE_PROCESSOR, DELAY_TIME, MAX_RETRIES,
        SEND_PARTIAL, TIMEOUT, CONNECTION_TIMEOUT, START_TLS, SSL_ENABLE, VERIFY_SERVER_IDENTITY, HELO_NAME,
        GATEWAY_USERNAME, GATEWAY_PASSWORD, MAX_DNS_PROBLEM_RETRIES);
    public static final Set<String> ALLOWED_PARAMETERS = ImmutableSet.<String>builder()
        .addAll(PASSED_TO_REMOTE_DELIVERY)
        .add(OUTGOING_PREFIX, UNROUTABLE_PROCESSOR, LOOP_SECRET)
        .build();
    private static final CharMatcher QUEUE_NAME_CHARS = CharMatcher.inRange('a', 'z')
        .or(CharMatcher.inRange('A', 'Z'))
        .or(CharMatcher.inRange('0', '9'))
        .or(CharMatcher.anyOf(".-_"));

    public static RelayDeliveryConfiguration from(MailetConfig config) throws MessagingException {
        String mailetName = config.getMailetName();
        Function<String, Optional<String>> parameter = name -> Optional.ofNullable(config.getInitParameter(name))
            .map(String::trim);
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : PASSED_TO_REMOTE_DELIVERY) {
            parameter.apply(name).ifPresent(value -> values.put(name, value));
        }
        values.putIfAbsent(BOUNCE_PROCESSOR, DEFAULT_BOUNCE_PROCESSOR);
        values.putIfAbsent(DELAY_TIME, DEFAULT_DELAY_TIME);
        values.putIfAbsent(MAX_RETRIES, DEFAULT_MAX_RETRIES);
        values.putIfAbsent(SEND_PARTIAL, DEFAULT_SEND_PARTIAL);

        for (Map.Entry<String, String> entry : values.entrySet()) {
            checkValue(mailetName, entry.getKey(), entry.getValue());
        }
        checkDelays(mailetName, values.get(MAX_RETRIES), values.get(DELAY_TIME));
        if (values.containsKey(GATEWAY_USERNAME) != values.containsKey(GATEWAY_PASSWORD)) {
            throw new MessagingException(mailetName + ": '" + GATEWAY_USERNAME + "' and '" + GATEWAY_PASSWORD + "' go together");
        }

        String outgoingPrefix = parameter.apply(OUTGOING_PREFIX).orElse(DEFAULT_OUTGOING_PREFIX);
        if (outgoingPrefix.isEmpty() || !QUEUE_NAME_CHARS.matchesAllOf(outgoingPrefix)) {
            throw new MessagingException(mailetName + ": '" + OUTGOING_PREFIX + "' must be made of letters, digits, '.', '-' and '_', got '" + outgoingPrefix + "'");
        }
        String unroutableProcessor = parameter.apply(UNROUTABLE_PROCESSOR).orElse(DEFAULT_UNROUTABLE_PROCESSOR);
        if (unroutableProcessor.isEmpty()) {
            throw new MessagingException(mailetName + ": '" + UNROUTABLE_PROCESSOR + "' must not be empty");
        }
        Optional<String> loopSecret = parameter.apply(LOOP_SECRET);
        if (loopSecret.isPresent() && loopSecret.get().length() < 16) {
            throw new MessagingException(mailetName + ": '" + LOOP_SECRET + "' must be at least 16 characters long");
        }
        return new RelayDeliveryConfiguration(ImmutableMap.copyOf(values), outgoingPrefix, unroutableProcessor, loopSecret);
    }

    private static void checkValue(String mailetName, String name, String value) throws MessagingException {
        if (value.isEmpty()) {
            throw new MessagingException(mailetName + ": '" + name + "' must not be empty");
        }
        if (BOOLEANS.contains(name) && !value.equals("true") && !value.equals("false")) {
            throw new MessagingException(mailetName + ": '" + name + "' must be true or false, got '" + value + "'");
        }
        if (POSITIVE_INTEGERS.contains(name) && parseInteger(value).filter(i -> i > 0).isEmpty()) {
            throw new MessagingException(mailetName + ": '" + name + "' must be a positive number of milliseconds, got '" + value + "'");
        }
        if (NON_NEGATIVE_INTEGERS.contains(name) && parseInteger(value).filter(i -> i >= 0).isEmpty()) {
            throw new MessagingException(mailetName + ": '" + name + "' must be a whole number, 0 or more, got '" + value + "'");
        }
    }

    private static void checkDelays(String mailetName, String maxRetries, String delayTime) throws MessagingException {
        try {
            // James's DelaysAndMaxRetry keeps the delays before the first bad one and silently drops the rest.
            for (String delay : Splitter.on(',').omitEmptyStrings().trimResults().split(delayTime)) {
                Delay.from(delay);
            }
            DelaysAndMaxRetry.from(Integer.parseInt(maxRetries), delayTime);
        } catch (Exception e) {
            throw new MessagingException(mailetName + ": '" + DELAY_TIME + "' is not a list of delays such as '"
                + DEFAULT_DELAY_TIME + "', got '" + delayTime + "': " + e.getMessage());
        }
    }

    private static Optional<Integer> parseInteger(String value) {
        try {
            return Optional.of(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private final ImmutableMap<String, String> remoteDeliveryParameters;
    private final String outgoingPrefix;
    private final String unroutableProcessor;
    private final Optional<String> loopSecret;

    private RelayDeliveryConfiguration(ImmutableMap<String, String> remoteDeliveryParameters, String outgoingPrefix,
                                       String unroutableProcessor, Optional<String> loopSecret) {
        this.remoteDeliveryParameters = remoteDeliveryParameters;
        this.outgoingPrefix = outgoingPrefix;
        this.unroutableProcessor = unroutableProcessor;
        this.loopSecret = loopSecret;
    }

    /** The secret that signs loop marks; empty when none is configured. */
    public Optional<String> getLoopSecret() {
        return loopSecret;
    }

    public String getUnroutableProcessor() {
        return unroutableProcessor;
    }

    public String getBounceProcessor() {
        return remoteDeliveryParameters.get(BOUNCE_PROCESSOR);
    }

    /** One mail queue per relay list, so a relay that is down only holds back its own mail. */
    public String queueName(List<RelayHost> relays) {
        return outgoingPrefix + "-" + relayKey(relays);
    }

    /** {@code host:port,host:port}: RemoteDelivery's gateway list, and how logs and bounces name the relays. */
    public static String gateway(List<RelayHost> relays) {
        return relays.stream().map(RelayHost::asString).collect(Collectors.joining(","));
    }

    public static String relayKey(List<RelayHost> relays) {
        return relays.stream()
            .map(relay -> relay.getHost() + "-" + relay.getPort())
            .collect(Collectors.joining("_"));
    }

    /** RemoteDelivery's parameters for one relay list: relays tried in the order given, never shuffled. */
    public Map<String, String> remoteDeliveryParameters(List<RelayHost> relays) {
        return ImmutableMap.<String, String>builder()
            .putAll(remoteDeliveryParameters)
            .put("gateway", gateway(relays))
            .put("loadBalancing", "false")
            .put("outgoing", queueName(relays))
            .build();
    }
}
