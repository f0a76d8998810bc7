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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.configuration2.MapConfiguration;
import org.apache.commons.configuration2.PropertiesConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.io.FileHandler;
import org.junit.jupiter.api.Test;

class RecipientVerificationConfigurationTest {
    @Test
    void everySettingShouldHaveItsDocumentedDefault() throws Exception {
        RecipientVerificationConfiguration configuration = RecipientVerificationConfiguration.from(new PropertiesConfiguration());

        assertThat(configuration.getRcptBudget()).isEqualTo(Duration.ofSeconds(1));
        assertThat(configuration.getProbeTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(configuration.getPositiveLifetime()).isEqualTo(Duration.ofDays(7));
        assertThat(configuration.getNegativeLifetime()).isEqualTo(Duration.ofHours(1));
        assertThat(configuration.getCacheSize()).isEqualTo(100_000);
        assertThat(configuration.getCircuitFailures()).isEqualTo(5);
        assertThat(configuration.getCircuitOpenTime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(configuration.getProbesPerRelay()).isEqualTo(10);
        assertThat(configuration.getClientProbesPerMinute()).isEqualTo(30);
        assertThat(configuration.getClientProbesInFlight()).isEqualTo(2);
    }

    @Test
    void settingsShouldBeReadWithTheirUnits() throws Exception {
        RecipientVerificationConfiguration configuration = RecipientVerificationConfiguration.from(new MapConfiguration(Map.of(
            "rcpt.budget", "500ms", "probe.timeout", "2s", "cache.negative.lifetime", "10m", "cache.positive.lifetime", "1d",
            "probes.per.relay", "3", "client.probes.per.minute", "12", "client.probes.in.flight", "1")));

        assertThat(configuration.getRcptBudget()).isEqualTo(Duration.ofMillis(500));
        assertThat(configuration.getClientProbesPerMinute()).isEqualTo(12);
        assertThat(configuration.getClientProbesInFlight()).isEqualTo(1);
        assertThat(configuration.getProbeTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(configuration.getNegativeLifetime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(configuration.getPositiveLifetime()).isEqualTo(Duration.ofDays(1));
        assertThat(configuration.getProbesPerRelay()).isEqualTo(3);
    }

    @Test
    void aDurationThatIsNoneShouldNameTheKeyAndTheFile() {
        assertThatThrownBy(() -> RecipientVerificationConfiguration.from(new MapConfiguration(Map.of("cache.negative.lifetime", "0s"))))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageStartingWith("'cache.negative.lifetime' in conf/split-recipient-verification.properties must be a duration such as "
                + "5s, 10m or 7d; got '0s'");
    }

    @Test
    void aNumberThatIsNoneShouldNameTheKeyAndTheFile() {
        assertThatThrownBy(() -> RecipientVerificationConfiguration.from(new MapConfiguration(Map.of("circuit.failures", "many"))))
            .isInstanceOf(ConfigurationException.class)
            .hasMessage("'circuit.failures' in conf/split-recipient-verification.properties must be a whole number of 1 or more; got 'many'");
    }

    @Test
    void aBudgetThatIsNotShorterThanTheProbeTimeoutShouldBeRefused() {
        assertThatThrownBy(() -> RecipientVerificationConfiguration.from(new MapConfiguration(Map.of("rcpt.budget", "5s", "probe.timeout", "5s"))))
            .isInstanceOf(ConfigurationException.class)
            .hasMessage("'rcpt.budget' (5s) in conf/split-recipient-verification.properties must be shorter than 'probe.timeout' (5s): "
                + "a probe must outlive the RCPT that started it, so that its answer serves the sender's retry");
    }

    @Test
    void theReadmeExampleShouldBeReadAsTheDefaults() throws Exception {
        String readme = Files.readString(Path.of("..", "docs", "operator-guide.md"));
        Matcher example = Pattern.compile("```properties\n(rcpt\\.budget=.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(example.find()).as("the operator's guide's recipient-verification settings").isTrue();
        PropertiesConfiguration properties = new PropertiesConfiguration();
        new FileHandler(properties).load(new StringReader(example.group(1)));

        RecipientVerificationConfiguration documented = RecipientVerificationConfiguration.from(properties);
        RecipientVerificationConfiguration defaults = RecipientVerificationConfiguration.from(new PropertiesConfiguration());

        assertThat(documented).usingRecursiveComparison().isEqualTo(defaults);
        assertThat(properties.getKeys()).toIterable().hasSize(10);
    }
}
