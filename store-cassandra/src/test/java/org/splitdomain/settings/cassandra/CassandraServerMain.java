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
package org.splitdomain.settings.cassandra;

import java.io.IOException;
import java.io.InputStream;

/**
 * Entry point of the Cassandra JVM that {@link CassandraServer} forks. It starts Cassandra and
 * halts it as soon as its standard input closes, which happens when the test JVM that holds the
 * other end of the pipe dies, even by {@code kill -9}: a crashed or timed-out test run must never
 * leave a Cassandra behind on a CI machine.
 *
 * <p>Only JDK classes are used: this class runs on Cassandra's classpath, not on the tests'.</p>
 */
public final class CassandraServerMain {
    private static final String CASSANDRA_DAEMON = "org.apache.cassandra.service.CassandraDaemon";

    public static void main(String[] args) throws Exception {
        Thread watchdog = new Thread(CassandraServerMain::haltWhenParentGoes, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Class.forName(CASSANDRA_DAEMON).getMethod("main", String[].class).invoke(null, (Object) args);
    }

    private static void haltWhenParentGoes() {
        try (InputStream parent = System.in) {
            while (parent.read() >= 0) {
                // The parent never writes: reading only waits for the end of the stream.
            }
        } catch (IOException e) {
            // A broken pipe means the parent is gone as well.
        }
        // halt, not exit: the data is thrown away, so Cassandra's drain on shutdown is wasted time.
        Runtime.getRuntime().halt(0);
    }

    private CassandraServerMain() {
    }
}
