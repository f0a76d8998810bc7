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
import static org.splitdomain.app.Mailboxes.AWAIT;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.splitdomain.testing.SmtpSink;

/**
 * James 3.8.1's own {@code GET /mailQueues/{queue}/mails} closes a memory queue twice for once it opened it: the queue
 * disposes its mails and stops for good. On the memory flavour the relay queue is the engine's own, so an operator
 * clicking through James's admin while mail flows stops no relaying.
 */
class RelayQueueJamesRoutesTest {
    private static final int MAILS = 500;

    @Test
    void jamesOwnQueueRoutesCalledWhileFiveHundredMailsFlowShouldLeaveEveryMailDelivered() throws Exception {
        try (JamesNode master = JamesNode.start("james-queue-routes");
             SmtpSink partner = SmtpSink.builder().bindAddress("127.0.0.2").port(0).start()) {
            master.data().addDomain("list.example");
            // 500 new recipients from one client: more than recipient verification lets it probe in a minute.
            master.putDomainRouting("list.example", "{\"relays\":[\"" + partner.relay() + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}");
            AtomicBoolean sending = new AtomicBoolean(true);
            AtomicInteger calls = new AtomicInteger();
            List<Integer> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
            ExecutorService operator = Executors.newSingleThreadExecutor();
            Future<?> clicking = operator.submit(() -> {
                while (sending.get() || partner.received().size() < MAILS) {
                    answers.add(master.webAdmin().get("/mailQueues/split-domain-relay/mails").then().extract().statusCode());
                    answers.add(master.webAdmin().get("/mailQueues/split-domain-relay").then().extract().statusCode());
                    calls.incrementAndGet();
                }
            });
            try {
                SmtpSession.sendInParallel(MAILS, i -> master.smtpPort(), i -> "user" + i + "@list.example");
                sending.set(false);

                AWAIT.atMost(java.time.Duration.ofSeconds(120)).untilAsserted(() -> assertThat(partner.received()).hasSize(MAILS));
                clicking.get();
            } finally {
                sending.set(false);
                operator.shutdownNow();
            }
            assertThat(calls.get()).isGreaterThan(1);
            // James's routes do not know the engine's queue: they answer for James's own queues only.
            assertThat(answers).containsOnly(404);
            assertThat(partner.received().stream().flatMap(received -> received.recipients.stream()).distinct().count()).isEqualTo(MAILS);
            master.awaitIdle();
        }
    }
}
