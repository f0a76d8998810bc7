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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.mail.MessagingException;

import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RelayDeliveryConfigurationTest {
    private static RelayDeliveryConfiguration parse(FakeMailetConfig.Builder config) throws MessagingException {
        return RelayDeliveryConfiguration.from(config.mailetName("SplitRoutingRemoteDelivery").build());
    }

    @Test
    void fromShouldGiveTheDocumentedDefaults() throws Exception {
        RelayDeliveryConfiguration configuration = parse(FakeMailetConfig.builder());

        assertThat(configuration.getOutgoing()).isEqualTo("split-domain-relay");
        assertThat(configuration.getBounceProcessor()).isEqualTo("bounces");
        assertThat(configuration.getRerouteProcessor()).isEqualTo("transport");
        assertThat(configuration.getMaxRetries()).isEqualTo(5);
        assertThat(configuration.getDelays()).containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30),
            Duration.ofHours(2), Duration.ofHours(6));
        assertThat(configuration.getTimeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(configuration.getConnectionTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(configuration.getHeloName()).isEmpty();
        assertThat(configuration.getBindAddress()).isEmpty();
        assertThat(configuration.getDeliveryThreads()).isEqualTo(40);
        assertThat(configuration.getMaxConnectionsPerRelay()).isEqualTo(20);
        assertThat(configuration.getConnectionIdleTime()).isEqualTo(Duration.ofSeconds(2));
        assertThat(configuration.getConnectionReuseTime()).isEqualTo(Duration.ofSeconds(300));
        assertThat(configuration.getFailedRelayTime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(configuration.getLoopSecret()).isEmpty();
        assertThat(configuration.getLoopMarkLifetime()).isEqualTo(Duration.ofDays(5));
        assertThat(configuration.getTlsTrustStore()).isEmpty();
        assertThat(configuration.getImmediateDeliveryThreads()).isEqualTo(8);
        assertThat(configuration.getSlowRelayTime()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void fromShouldReadEveryParameter() throws Exception {
        RelayDeliveryConfiguration configuration = parse(FakeMailetConfig.builder()
            .setProperty("outgoing", " relay-out ")
            .setProperty("bounceProcessor", "my-bounces")
            .setProperty("rerouteProcessor", "root")
            .setProperty("delayTime", "2 * 10 seconds, 1 minute")
            .setProperty("maxRetries", "3")
            .setProperty("timeout", "5000")
            .setProperty("connectiontimeout", "2000")
            .setProperty("heloName", "mx1.example.com")
            .setProperty("bindAddress", "127.0.0.2")
            .setProperty("deliveryThreads", "8")
            .setProperty("maxConnectionsPerRelay", "4")
            .setProperty("connectionIdleTime", "5 seconds")
            .setProperty("connectionReuseTime", "1 minute")
            .setProperty("failedRelayTime", "10s")
            .setProperty("loopSecret", "sixteen-chars-at-least")
            .setProperty("loopMarkLifetime", "2 days")
            .setProperty("tlsTrustStore", "file://conf/relay-trust.p12")
            .setProperty("tlsTrustStorePassword", "changeit")
            .setProperty("immediateDeliveryThreads", "0")
            .setProperty("slowRelayTime", "500 ms"));

        assertThat(configuration.getOutgoing()).isEqualTo("relay-out");
        assertThat(configuration.getBounceProcessor()).isEqualTo("my-bounces");
        assertThat(configuration.getRerouteProcessor()).isEqualTo("root");
        assertThat(configuration.getMaxRetries()).isEqualTo(3);
        assertThat(configuration.getDelays()).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofMinutes(1));
        assertThat(configuration.delayBeforeRetry(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(configuration.delayBeforeRetry(3)).isEqualTo(Duration.ofMinutes(1));
        assertThat(configuration.getTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(configuration.getConnectionTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(configuration.getHeloName()).contains("mx1.example.com");
        assertThat(configuration.getBindAddress()).contains("127.0.0.2");
        assertThat(configuration.getDeliveryThreads()).isEqualTo(8);
        assertThat(configuration.getMaxConnectionsPerRelay()).isEqualTo(4);
        assertThat(configuration.getConnectionIdleTime()).isEqualTo(Duration.ofSeconds(5));
        assertThat(configuration.getConnectionReuseTime()).isEqualTo(Duration.ofMinutes(1));
        assertThat(configuration.getFailedRelayTime()).isEqualTo(Duration.ofSeconds(10));
        assertThat(configuration.getLoopSecret()).contains("sixteen-chars-at-least");
        assertThat(configuration.getLoopMarkLifetime()).isEqualTo(Duration.ofDays(2));
        assertThat(configuration.getTlsTrustStore()).contains("file://conf/relay-trust.p12");
        assertThat(configuration.getTlsTrustStorePassword()).contains("changeit");
        assertThat(configuration.getImmediateDeliveryThreads()).isZero();
        assertThat(configuration.getSlowRelayTime()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void maxRetriesLargerThanTheDelaysShouldRepeatTheLastDelay() throws Exception {
        RelayDeliveryConfiguration configuration = parse(FakeMailetConfig.builder()
            .setProperty("delayTime", "1 second")
            .setProperty("maxRetries", "100"));

        assertThat(configuration.delayBeforeRetry(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(configuration.delayBeforeRetry(100)).isEqualTo(Duration.ofSeconds(1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "outgoing | bad name | 'outgoing' must be 1-200 letters, digits, '.', '-' and '_', got 'bad name'",
        "outgoing | relay/queue | 'outgoing' must be 1-200 letters, digits, '.', '-' and '_', got 'relay/queue'",
        "bounceProcessor | '  ' | 'bounceProcessor' must not be empty",
        "rerouteProcessor | '' | 'rerouteProcessor' must not be empty",
        "maxRetries | -1 | 'maxRetries' must be a whole number, 0 or more, got '-1'",
        "maxRetries | five | 'maxRetries' must be a whole number, 0 or more, got 'five'",
        "deliveryThreads | 0 | 'deliveryThreads' must be a whole number, 1 or more, got '0'",
        "immediateDeliveryThreads | -1 | 'immediateDeliveryThreads' must be a whole number, 0 or more, got '-1'",
        "slowRelayTime | never | 'slowRelayTime' must be a positive duration such as '2 seconds' or '5 minutes', got 'never'",
        "maxConnectionsPerRelay | lots | 'maxConnectionsPerRelay' must be a whole number, 1 or more, got 'lots'",
        "timeout | 0 | 'timeout' must be a positive number of milliseconds, got '0'",
        "connectiontimeout | 1 minute | 'connectiontimeout' must be a positive number of milliseconds, got '1 minute'",
        "connectionIdleTime | soon | 'connectionIdleTime' must be a positive duration such as '2 seconds' or '5 minutes', got 'soon'",
        "connectionReuseTime | 0 seconds | 'connectionReuseTime' must be a positive duration such as '2 seconds' or '5 minutes', got '0 seconds'",
        "failedRelayTime | -3 seconds | 'failedRelayTime' must be a positive duration such as '2 seconds' or '5 minutes', got '-3 seconds'",
        "loopMarkLifetime | forever | 'loopMarkLifetime' must be a positive duration such as '2 seconds' or '5 minutes', got 'forever'",
        "loopSecret | short | 'loopSecret' must be at least 16 characters long",
        "bindAddress | mx.example.com | 'bindAddress' must be an IP address of this host, got 'mx.example.com'"})
    void fromShouldRefuseABadValueNamingTheMailetTheParameterAndTheValue(String name, String value, String message) {
        assertThatThrownBy(() -> parse(FakeMailetConfig.builder().setProperty(name, value)))
            .isInstanceOf(MessagingException.class)
            .hasMessage("SplitRoutingRemoteDelivery: " + message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1 minute, 5 fortnights", "0 seconds", "soon", "2 * , 1 minute"})
    void fromShouldRefuseDelaysJamesWouldSilentlyDropOrRoundToZero(String delayTime) {
        assertThatThrownBy(() -> parse(FakeMailetConfig.builder().setProperty("delayTime", delayTime)))
            .isInstanceOf(MessagingException.class)
            .hasMessageStartingWith("SplitRoutingRemoteDelivery: 'delayTime' is not a list of delays such as "
                + "'1 minute, 5 minutes, 30 minutes, 2 hours, 6 hours', got '" + delayTime + "'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "outgoingPrefix | all relays now share one mail queue, named by 'outgoing'",
        "unroutableProcessor | recipients no relay applies to any more go to 'rerouteProcessor' (default transport) and are handled as James now handles them",
        "sendpartial | each recipient has its own outcome: the relay's refusal of one never holds back the others",
        "startTLS | TLS is a policy of each relay in the domain settings: \"tls\": none, may, encrypt or verify",
        "gatewayPassword | AUTH is a policy of each relay in the domain settings: \"credential\" names an entry of conf/split-relay-credentials.properties",
        "maxDnsProblemRetries | a relay whose name does not resolve is retried like a relay that is down, up to 'maxRetries'",
        "gateway | the relays come from each domain's split-routing settings"})
    void fromShouldTellWhatReplacedAParameterOfTheFormerMailet(String name, String replacement) {
        assertThatThrownBy(() -> parse(FakeMailetConfig.builder().setProperty(name, "anything")))
            .isInstanceOf(MessagingException.class)
            .hasMessage("SplitRoutingRemoteDelivery: '" + name + "' is no longer a parameter: " + replacement);
    }

    @Test
    void theReferenceShouldDocumentEveryParameterTheMailetTakesAndNoOther() throws Exception {
        String reference = Files.readString(Path.of("..", "docs", "reference.md"));
        String mailet = reference.substring(reference.indexOf("## Mailet `org.splitdomain.mailets.SplitRoutingRemoteDelivery`"),
            reference.indexOf("## SMTP recipient check"));
        // A row of the parameter table: | `name` | or | `name`, `other` |
        Matcher row = Pattern.compile("(?m)^\\| (`[a-zA-Z]+`(?:, `[a-zA-Z]+`)*) \\|").matcher(mailet);
        Set<String> documented = new TreeSet<>();
        while (row.find()) {
            Pattern.compile("`([a-zA-Z]+)`").matcher(row.group(1)).results().map(name -> name.group(1)).forEach(documented::add);
        }

        assertThat(documented).isEqualTo(RelayDeliveryConfiguration.ALLOWED_PARAMETERS.stream().collect(Collectors.toCollection(TreeSet::new)));
    }
}
