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
package org.splitdomain.settings;

import java.util.Optional;

/**
 * A store kept in a database that several James nodes (or a restarted one) read. Routing never
 * reads it per recipient: {@link CachedSplitRoutingStore} holds a copy and reloads it when
 * {@link #generation()} moves.
 */
public interface SharedSplitRoutingStore extends SplitRoutingStore {
    /**
     * A number that every completed write, made by any node, changes. Read once per refresh
     * period, so it must be one cheap read.
     */
    long generation();

    /**
     * The generation the last write made through this instance moved from and to, when the store can tell: a
     * node whose copy was at the first of them holds everything that write left in the database, so it need not
     * reload for its own write. Empty when the store cannot know (Cassandra's version moves to a random value).
     */
    default Optional<GenerationMove> lastWriteMove() {
        return Optional.empty();
    }

    /** The generation before and after one write. */
    final class GenerationMove {
        private final long before;
        private final long after;

        public GenerationMove(long before, long after) {
            this.before = before;
            this.after = after;
        }

        public long getBefore() {
            return before;
        }

        public long getAfter() {
            return after;
        }
    }
}
