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

import java.time.Clock;

import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.queue.memory.MemoryMailQueueFactory;

/**
 * The relay queue of the memory flavour, kept out of James's queue factory. James 3.8.1's
 * {@code GET /mailQueues/{queue}/mails} closes the memory queue it lists twice for once it opened it; the queue's
 * count of users reaches zero, and it disposes its mails and stops delivering for good. A queue of the engine's own
 * is out of that route's reach. Loaded only when James runs memory queues, whose classes the other flavours may lack.
 */
final class PrivateMemoryQueue {
    static final String JAMES_MEMORY_QUEUES = "org.apache.james.queue.memory.MemoryMailQueueFactory";

    private PrivateMemoryQueue() {
    }

    static ManageableMailQueue create(MailQueueName name, Clock clock) {
        return new MemoryMailQueueFactory.MemoryCacheableMailQueue(name, new RawMailQueueItemDecoratorFactory(), clock);
    }
}
