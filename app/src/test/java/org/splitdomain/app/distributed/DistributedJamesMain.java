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
package org.splitdomain.app.distributed;

import org.apache.james.GuiceJamesServer;
import org.apache.james.MemoryJamesConfiguration;
import org.apache.james.MemoryJamesServerMain;

/**
 * One James node of the {@link DistributedFlavour} in a JVM of its own ({@code -Dworking.directory=DIR}, its
 * configuration in {@code DIR/conf}): what a test kills with {@code kill -9}.
 */
public final class DistributedJamesMain {
    private DistributedJamesMain() {
    }

    public static void main(String[] args) throws Exception {
        GuiceJamesServer server = MemoryJamesServerMain.createServer(MemoryJamesConfiguration.builder()
                .useWorkingDirectoryEnvProperty()
                .build())
            .overrideWith(DistributedFlavour.modules());
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        Thread.currentThread().join();
    }
}
