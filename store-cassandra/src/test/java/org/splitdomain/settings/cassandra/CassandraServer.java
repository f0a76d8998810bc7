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

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.google.common.collect.ImmutableList;

/**
 * A real, single-node Cassandra for tests, in a JVM of its own: on loopback, on free ports, with
 * its data in a temporary folder that is deleted when it stops.
 *
 * <p>Its classpath is the list of jars that Maven resolved for this module's build
 * ({@value #CLASSPATH_RESOURCE}, shipped in the test-jar), so Cassandra's libraries never meet
 * James's. {@link #shared()} starts one per test JVM; it is killed when that JVM exits, and also
 * when it dies without running shutdown hooks (see {@link CassandraServerMain}).</p>
 *
 * <p>System properties: {@code splitdomain.cassandra.startTimeout} (seconds, default 120),
 * {@code splitdomain.cassandra.heap} (default {@code 512m}), {@code splitdomain.cassandra.java}
 * (the java executable, default the one running the tests; Cassandra 5.0 needs 11 or 17).</p>
 */
public final class CassandraServer implements AutoCloseable {
    public static final String DATACENTER = "datacenter1";
    static final String CLASSPATH_RESOURCE = "split-domain-cassandra-server.classpath";

    private static final Logger LOGGER = LoggerFactory.getLogger(CassandraServer.class);
    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(Long.getLong("splitdomain.cassandra.startTimeout", 120));
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final int START_ATTEMPTS = 3;
    private static final int LOG_TAIL_LINES = 60;

    // From Cassandra 5.0's conf/jvm17-server.options: Cassandra reaches into JDK internals.
    private static final List<String> JDK17_FLAGS = ImmutableList.of(
        "-Djdk.attach.allowAttachSelf=true",
        "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
        "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
        "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
        "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
        "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
        "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.base/java.io=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED",
        "--add-opens", "java.base/java.util=ALL-UNNAMED",
        "-Dio.netty.tryReflectionSetAccessible=true");

    private static CassandraServer shared;
    private static RuntimeException sharedFailure;

    /**
     * The Cassandra of this test JVM, started at the first call and stopped when the JVM exits.
     * A failed start is not tried again by every later test class: they fail at once with its cause.
     */
    public static synchronized CassandraServer shared() {
        if (sharedFailure != null) {
            throw new IllegalStateException("Cassandra failed to start earlier in this JVM", sharedFailure);
        }
        if (shared == null) {
            try {
                shared = start();
            } catch (RuntimeException e) {
                sharedFailure = e;
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "cassandra-server-stop"));
        }
        return shared;
    }

    /** Starts a Cassandra of its own; the caller closes it. */
    public static CassandraServer start() {
        for (int attempt = 1; ; attempt++) {
            Path directory = createTempDirectory();
            CassandraServer server = new CassandraServer(directory, freePort(), freePort());
            try {
                server.launch();
                return server;
            } catch (PortTakenException e) {
                server.close();
                if (attempt == START_ATTEMPTS) {
                    throw new IllegalStateException("Cassandra could not bind its ports in " + START_ATTEMPTS + " attempts", e);
                }
                LOGGER.info("A port chosen for Cassandra was taken meanwhile, starting again on other ports");
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }
    }

    private final Path directory;
    private final int nativePort;
    private final int storagePort;
    private Process process;

    private CassandraServer(Path directory, int nativePort, int storagePort) {
        this.directory = directory;
        this.nativePort = nativePort;
        this.storagePort = storagePort;
    }

    public String host() {
        return LOOPBACK;
    }

    public int nativePort() {
        return nativePort;
    }

    public InetSocketAddress contactPoint() {
        return new InetSocketAddress(LOOPBACK, nativePort);
    }

    /** A new session, bound to {@code keyspace}; the caller closes it. */
    public CqlSession session(String keyspace) {
        return sessionBuilder().withKeyspace(CqlIdentifier.fromCql(keyspace)).build();
    }

    /** A new session on {@code keyspace} whose requests fail after {@code requestTimeout}, for tests of a database that stops answering. */
    public CqlSession session(String keyspace, Duration requestTimeout) {
        return sessionBuilder(requestTimeout).withKeyspace(CqlIdentifier.fromCql(keyspace)).build();
    }

    /** Freezes Cassandra (SIGSTOP): it holds its connections and answers nothing, a database that stopped mid-request. */
    public void pause() {
        signal("STOP");
    }

    /** Lets a {@link #pause() paused} Cassandra go on (SIGCONT). */
    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A new session bound to no keyspace, for creating and dropping keyspaces; the caller closes it. */
    public CqlSession adminSession() {
        return sessionBuilder().build();
    }

    private CqlSessionBuilder sessionBuilder() {
        // Schema changes and truncations are slow on a loaded 2-core CI machine: the driver's 2 s default is too short.
        return sessionBuilder(Duration.ofSeconds(30));
    }

    private CqlSessionBuilder sessionBuilder(Duration requestTimeout) {
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, requestTimeout)
            .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
            .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, Duration.ofSeconds(10))
            .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30))
            // Tests create a keyspace and tables per class: the 1 s during which the driver gathers
            // schema events before refreshing, and the 2 s of quiet it waits at close, add up.
            .withDuration(DefaultDriverOption.METADATA_SCHEMA_WINDOW, Duration.ofMillis(10))
            .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
            .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0)
            .build();
        return CqlSession.builder()
            .addContactPoint(contactPoint())
            .withLocalDatacenter(DATACENTER)
            .withConfigLoader(config);
    }

    private void launch() {
        long start = System.nanoTime();
        writeConfiguration();
        List<String> command = command();
        try {
            process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(outputLog().toFile())
                .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start Cassandra: " + String.join(" ", command), e);
        }
        LOGGER.info("Starting Cassandra (pid {}) on {}:{}, data in {}", process.pid(), LOOPBACK, nativePort, directory);
        awaitNativeTransport(start);
        LOGGER.info("Cassandra (pid {}) is ready on {}:{} after {} ms", process.pid(), LOOPBACK, nativePort,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    // The native transport opens last, once Cassandra has started: a client that connects is served.
    private void awaitNativeTransport(long start) {
        Duration left = START_TIMEOUT.minusNanos(System.nanoTime() - start);
        try {
            Awaitility.await()
                .atMost(left)
                .pollInterval(POLL_INTERVAL)
                .pollInSameThread()
                .until(() -> {
                    if (!process.isAlive()) {
                        String tail = logTail();
                        if (tail.contains("Address already in use")) {
                            throw new PortTakenException();
                        }
                        throw new IllegalStateException("Cassandra exited with code " + process.exitValue() + " while starting on " + java()
                            + " (Cassandra 5.0 needs Java 11 or 17: property splitdomain.cassandra.java); the end of its log:\n" + tail);
                    }
                    return acceptsConnections();
                });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("Cassandra did not open " + LOOPBACK + ":" + nativePort + " within " + START_TIMEOUT.toSeconds()
                + " s (property splitdomain.cassandra.startTimeout); the end of its log:\n" + logTail());
        }
    }

    private boolean acceptsConnections() {
        try (Socket socket = new Socket()) {
            socket.connect(contactPoint(), (int) POLL_INTERVAL.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private List<String> command() {
        List<String> classpath = cassandraClasspath();
        List<String> command = new ArrayList<>();
        command.add(java());
        String heap = System.getProperty("splitdomain.cassandra.heap", "512m");
        command.add("-Xms" + heap);
        command.add("-Xmx" + heap);
        // Start-up time matters more than peak speed here, and CI has 2 cores to share with the tests.
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:+PerfDisableSharedMem");
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-Djava.net.preferIPv4Stack=true");
        // Its temporary files where the tests' own go (target/tmp under Maven), not /tmp.
        command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        command.addAll(JDK17_FLAGS);
        // As Cassandra's own launcher does: jamm measures memtable sizes through the agent.
        classpath.stream()
            .filter(jar -> Paths.get(jar).getFileName().toString().startsWith("jamm-"))
            .findFirst()
            .ifPresent(jamm -> command.add("-javaagent:" + jamm));
        command.add("-Dcassandra.config=" + cassandraYaml().toUri());
        command.add("-Dcassandra-foreground=yes");
        command.add("-Dcassandra.storagedir=" + directory);
        command.add("-Dcassandra.logdir=" + directory.resolve("logs"));
        command.add("-Dcassandra.triggers_dir=" + directory.resolve("triggers"));
        command.add("-Dlogback.configurationFile=" + logbackXml());
        // A single node never waits for peers.
        command.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
        command.add("-Dcassandra.ring_delay_ms=0");
        command.add("-Dcassandra.load_ring_state=false");
        command.add("-Dcassandra.superuser_setup_delay_ms=0");
        command.add("-cp");
        command.add(Stream.concat(Stream.of(ownLocation()), classpath.stream()).collect(Collectors.joining(File.pathSeparator)));
        command.add(CassandraServerMain.class.getName());
        return command;
    }

    private static String java() {
        return System.getProperty("splitdomain.cassandra.java", Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static List<String> cassandraClasspath() {
        try (InputStream listing = CassandraServer.class.getClassLoader().getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (listing == null) {
                throw new IllegalStateException(CLASSPATH_RESOURCE + " is not on the classpath: it is written by the build of split-domain-store-cassandra (maven-antrun-plugin)");
            }
            List<String> jars = new String(listing.readAllBytes(), StandardCharsets.UTF_8).lines()
                .map(String::trim)
                .filter(line -> !line.isEmpty())
                .collect(Collectors.toList());
            jars.stream()
                .filter(jar -> !Files.exists(Paths.get(jar)))
                .findFirst()
                .ifPresent(missing -> {
                    throw new IllegalStateException(CLASSPATH_RESOURCE + " names " + missing + ", which does not exist: rebuild split-domain-store-cassandra");
                });
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // The folder or jar holding CassandraServerMain, which must be on Cassandra's classpath too.
    private static String ownLocation() {
        try {
            return Paths.get(CassandraServerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private void writeConfiguration() {
        String yaml = String.join("\n",
            "cluster_name: split-domain-test",
            "num_tokens: 1",
            "initial_token: 0",
            "auto_bootstrap: false",
            "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
            "endpoint_snitch: SimpleSnitch",
            "seed_provider:",
            "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
            "    parameters:",
            "      - seeds: \"" + LOOPBACK + ":" + storagePort + "\"",
            "listen_address: " + LOOPBACK,
            "rpc_address: " + LOOPBACK,
            "storage_port: " + storagePort,
            "native_transport_port: " + nativePort,
            "start_native_transport: true",
            "data_file_directories:",
            "  - " + directory.resolve("data"),
            "commitlog_directory: " + directory.resolve("commitlog"),
            "saved_caches_directory: " + directory.resolve("saved_caches"),
            "hints_directory: " + directory.resolve("hints"),
            "cdc_raw_directory: " + directory.resolve("cdc_raw"),
            "commitlog_sync: periodic",
            "commitlog_sync_period: 10000ms",
            // Tests truncate tables between cases: a snapshot at every truncation is slow and useless.
            "auto_snapshot: false",
            "concurrent_compactors: 1",
            "disk_failure_policy: stop",
            "");
        String logback = String.join("\n",
            "<configuration>",
            "  <appender name=\"FILE\" class=\"ch.qos.logback.core.FileAppender\">",
            "    <file>" + directory.resolve("logs").resolve("system.log") + "</file>",
            "    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n</pattern></encoder>",
            "  </appender>",
            "  <root level=\"INFO\"><appender-ref ref=\"FILE\"/></root>",
            "</configuration>",
            "");
        try {
            Files.createDirectories(directory.resolve("logs"));
            Files.createDirectories(directory.resolve("triggers"));
            Files.writeString(cassandraYaml(), yaml);
            Files.writeString(logbackXml(), logback);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path cassandraYaml() {
        return directory.resolve("cassandra.yaml");
    }

    private Path logbackXml() {
        return directory.resolve("logback.xml");
    }

    private Path outputLog() {
        return directory.resolve("logs").resolve("output.log");
    }

    private String logTail() {
        return Stream.of(directory.resolve("logs").resolve("system.log"), outputLog())
            .filter(Files::exists)
            .map(log -> "==> " + log + "\n" + tail(log))
            .collect(Collectors.joining("\n"));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Kills Cassandra (its data is thrown away, so there is nothing to flush) and deletes its folder. */
    @Override
    public synchronized void close() {
        if (process != null) {
            ProcessHandle handle = process.toHandle();
            handle.descendants().forEach(ProcessHandle::destroyForcibly);
            handle.destroyForcibly();
            try {
                handle.onExit().get(30, TimeUnit.SECONDS);
                LOGGER.info("Stopped Cassandra (pid {})", handle.pid());
            } catch (Exception e) {
                LOGGER.warn("Cassandra (pid {}) did not exit after being killed; its folder {} is left", handle.pid(), directory, e);
                return;
            }
            process = null;
        }
        deleteRecursively(directory);
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOGGER.warn("Could not delete Cassandra's folder {}", directory, e);
        }
    }

    private static Path createTempDirectory() {
        try {
            return Files.createTempDirectory("split-domain-cassandra-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static class PortTakenException extends RuntimeException {
    }
}
