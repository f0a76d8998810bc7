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

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.splitdomain.mailets.verify.Verdict;
import org.splitdomain.settings.RelayHost;

/** One reading of a relay's reply, and what the delivery and the recipient check make of it. */
class SmtpReplyTest {
    private static final RelayHost RELAY = RelayHost.parse("127.0.0.2:2525");

    @ParameterizedTest
    @CsvSource({
        "250, POSITIVE, DELIVERED, ACCEPTED",
        "251, POSITIVE, DELIVERED, ACCEPTED",
        "550, PERMANENT_FAILURE, REFUSED, REFUSED",
        "554, PERMANENT_FAILURE, REFUSED, REFUSED",
        "450, TRANSIENT_FAILURE, DEFERRED, UNAVAILABLE",
        "421, TRANSIENT_FAILURE, DEFERRED, UNAVAILABLE",
        "354, TRANSIENT_FAILURE, DEFERRED, UNAVAILABLE",
        // Jakarta Mail's code when no reply code is known (the connection broke, say).
        "-1, TRANSIENT_FAILURE, DEFERRED, UNAVAILABLE"
    })
    void aReplyShouldMeanTheSameForTheDeliveryAndForTheRecipientCheck(int code, SmtpReply.Kind kind, RecipientOutcome.Kind outcome,
                                                                      Verdict.Kind verdict) {
        SmtpReply reply = SmtpReply.of(code, code + " the relay's words");

        assertThat(reply.getKind()).isEqualTo(kind);
        assertThat(RecipientOutcome.answered(RELAY, reply).getKind()).isEqualTo(outcome);
        assertThat(Verdict.answered(RELAY, reply).getKind()).isEqualTo(verdict);
    }

    @ParameterizedTest
    @CsvSource({"550", "450"})
    void aRefusalOrADeferralShouldKeepTheRelayAndItsWords(int code) {
        SmtpReply reply = SmtpReply.of(code, code + " 5.1.1 <bob@example.com>: no such user ");

        RecipientOutcome outcome = RecipientOutcome.answered(RELAY, reply);

        assertThat(outcome.getRelay()).isEqualTo(Optional.of(RELAY));
        assertThat(outcome.getDetail()).isEqualTo(code + " 5.1.1 <bob@example.com>: no such user");
    }

    @ParameterizedTest
    @CsvSource({"250, true", "550, true", "450, false", "-1, false"})
    void onlyAPositiveAnswerOrARefusalForGoodShouldBeFinal(int code, boolean isFinal) {
        assertThat(SmtpReply.of(code, null).isFinal()).isEqualTo(isFinal);
    }
}
