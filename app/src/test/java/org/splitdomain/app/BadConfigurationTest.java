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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.google.common.base.Throwables;
import com.google.common.collect.ImmutableMap;

/** A mistake in james-conf stops James at start-up with a message naming the mailet, the parameter and the value. */
class BadConfigurationTest {
    @Test
    void startShouldFailNamingAMalformedMailetParameter() {
        assertThatThrownBy(() -> JamesNode.start("bad-retries", conf -> JamesNode.edit(conf, "<maxRetries>5</maxRetries>", "<maxRetries>five</maxRetries>")))
            .satisfies(e -> assertThat(Throwables.getCausalChain(e))
                .extracting(Throwable::getMessage)
                .contains("org.splitdomain.mailets.SplitRoutingRemoteDelivery: 'maxRetries' must be a whole number, 0 or more, got 'five'"));
    }

    @Test
    void startShouldFailNamingAMisspeltMailetParameter() {
        assertThatThrownBy(() -> JamesNode.start("bad-name", conf -> JamesNode.edit(conf, "<maxRetries>5</maxRetries>", "<maxRetry>5</maxRetry>")))
            .satisfies(e -> assertThat(Throwables.getCausalChain(e))
                .extracting(Throwable::getMessage)
                .anyMatch(message -> message != null && message.startsWith(
                    "org.splitdomain.mailets.SplitRoutingRemoteDelivery: Unexpected init parameters found: [maxRetry]")));
    }

    @Test
    void startShouldFailNamingAMatcherGivenACondition() {
        assertThatThrownBy(() -> JamesNode.start("bad-matcher", conf -> conf.replaceFirst(
                "match=\"org.splitdomain.matchers.IsUnknownLocalRecipient\"", "match=\"org.splitdomain.matchers.IsUnknownLocalRecipient=example.com\"")))
            .satisfies(e -> assertThat(Throwables.getCausalChain(e))
                .extracting(Throwable::getMessage)
                .anyMatch(message -> message != null && message.contains("takes no condition, got 'example.com'")));
    }

    @Test
    void startShouldFailNamingAMalformedRecipientVerificationSetting() {
        assertThatThrownBy(() -> JamesNode.start("bad-verification", ImmutableMap.of("split-recipient-verification.properties",
                conf -> conf + "probe.timeout=soon\n")))
            .satisfies(e -> assertThat(Throwables.getCausalChain(e))
                .extracting(Throwable::getMessage)
                .anyMatch(message -> message != null && message.contains("'probe.timeout' in conf/split-recipient-verification.properties "
                    + "must be a duration such as 5s, 10m or 7d; got 'soon'")));
    }
}
