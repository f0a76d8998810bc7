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
package org.splitdomain.relay;

import java.time.Duration;

/**
 * Who wakes a waiting mail: nodes that share a waiting room each look for mail that is due, and the first to claim a
 * mail's stay moves it to the queue; the others leave it. A claim lapses after {@code hold}, so that a mail whose
 * waker died is woken by another node. Bound by the settings store module of each flavour: in this JVM for the memory
 * and JPA flavours ({@link InProcessWakeClaims}), in Cassandra for the distributed one.
 */
public interface WakeClaims {
    /** Whether the caller may wake the stay {@code waitId}: {@code true} for one caller only until {@code hold} has passed. */
    boolean claim(String waitId, Duration hold);
}
