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

import java.time.Duration;

import javax.mail.MessagingException;

import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static RetryPolicy policy(String delayTime, int maxRetries) throws MessagingException {
        return new RetryPolicy(RelayDeliveryConfiguration.from(FakeMailetConfig.builder().mailetName("relay")
            .setProperty("delayTime", delayTime).setProperty("maxRetries", String.valueOf(maxRetries)).build()));
    }

    @Test
    void afterAttemptShouldFollowTheDelaysOfDelayTime() throws Exception {
        RetryPolicy policy = policy("2 seconds, 4 seconds, 8 seconds", 5);

        assertThat(policy.afterAttempt(0, true).getDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.afterAttempt(0, true).getRetries()).isEqualTo(1);
        assertThat(policy.afterAttempt(1, true).getDelay()).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.afterAttempt(2, true).getDelay()).isEqualTo(Duration.ofSeconds(8));
        // The last delay repeats up to maxRetries.
        assertThat(policy.afterAttempt(4, true).getDelay()).isEqualTo(Duration.ofSeconds(8));
        assertThat(policy.afterAttempt(4, true).getRetries()).isEqualTo(5);
    }

    @Test
    void afterAttemptShouldGiveUpWhenMaxRetriesIsSpent() throws Exception {
        RetryPolicy.Decision decision = policy("2 seconds", 5).afterAttempt(5, true);

        assertThat(decision.isGiveUp()).isTrue();
        assertThat(decision.getAttempts()).isEqualTo(6);
    }

    @Test
    void anAttemptThatAskedNoRelayShouldUseUpNoRetryAndWaitTheLastDelayAgain() throws Exception {
        RetryPolicy policy = policy("2 seconds, 4 seconds, 8 seconds", 5);

        assertThat(policy.afterAttempt(0, false).getRetries()).isZero();
        assertThat(policy.afterAttempt(0, false).getDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.afterAttempt(2, false).getRetries()).isEqualTo(2);
        assertThat(policy.afterAttempt(2, false).getDelay()).isEqualTo(Duration.ofSeconds(4));
        // Never given up for it: no relay said anything.
        assertThat(policy.afterAttempt(5, false).isGiveUp()).isFalse();
    }
}
