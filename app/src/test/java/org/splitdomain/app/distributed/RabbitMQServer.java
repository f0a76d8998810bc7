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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.common.collect.ImmutableMap;

/**
 * Debian's {@code rabbitmq-server} for tests, as James's distributed flavour uses it: on loopback, on free ports, with
 * its own Erlang port mapper (so the host's epmd, if any, is left alone), its management API (James's queue lists its
 * queues through it), and its files in a temporary folder deleted at the end. {@link #shared()} starts one per test
 * JVM. A shell stands between the test JVM and the broker: it stops the broker and its epmd as soon as the JVM's end
 * of its standard input closes, so that a test JVM that dies leaves nothing running.
 */
public final class RabbitMQServer implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(RabbitMQServer.class);
    private static final String LOOPBACK = "127.0.0.1";
    private static final Path SERVER = Paths.get("/usr/lib/rabbitmq/bin/rabbitmq-server");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(Long.getLong("splitdomain.rabbitmq.startTimeout", 120));
    // Stops the broker (TERM: it shuts down cleanly) and then its epmd once the JVM closes the shell's standard input.
    private static final String SUPERVISOR = "epmd -port \"$EPMD_PORT\" -address 127.0.0.1 & epmd_pid=$!\n"
        + "\"$0\" > \"$RABBITMQ_LOG_BASE/console.log\" 2>&1 & server_pid=$!\n"
        + "cat > /dev/null\n"
        + "kill -TERM $server_pid 2>/dev/null; wait $server_pid; kill -TERM $epmd_pid 2>/dev/null; wait $epmd_pid\n";

    private static RabbitMQServer shared;

    /** The broker of this test JVM, started at the first call, stopped when the JVM exits. */
    public static synchronized RabbitMQServer shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "rabbitmq-server-stop"));
        }
        return shared;
    }

    public static boolean isInstalled() {
        return Files.isExecutable(SERVER);
    }

    public static RabbitMQServer start() {
        try {
            Path directory = Files.createTempDirectory("split-domain-rabbitmq-");
            RabbitMQServer server = new RabbitMQServer(directory, freePort(), freePort(), freePort(), freePort());
            try {
                server.launch();
                return server;
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        }
    }

    private final Path directory;
    private final int amqpPort;
    private final int managementPort;
    private final int distributionPort;
    private final int epmdPort;
    private Process supervisor;

    private RabbitMQServer(Path directory, int amqpPort, int managementPort, int distributionPort, int epmdPort) {
        this.directory = directory;
        this.amqpPort = amqpPort;
        this.managementPort = managementPort;
        this.distributionPort = distributionPort;
        this.epmdPort = epmdPort;
    }

    public URI amqpUri() {
        return URI.create("amqp://" + LOOPBACK + ":" + amqpPort);
    }

    public URI managementUri() {
        return URI.create("http://" + LOOPBACK + ":" + managementPort);
    }

    /**
     * A virtual host of its own, for one test class: James names its queues alike on every node (spool, the relay
     * queue), so two test classes at once each need theirs.
     */
    public String newVirtualHost() {
        String vhost = "split-domain-" + UUID.randomUUID().toString().substring(0, 8);
        management("PUT", "/api/vhosts/" + vhost, "{}");
        management("PUT", "/api/permissions/" + vhost + "/guest", "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
        return vhost;
    }

    /** {@code rabbitmq.properties} of a James node on that virtual host. */
    public String jamesProperties(String vhost) {
        return "uri=" + amqpUri() + "/" + vhost + "\n"
            + "vhost=" + vhost + "\n"
            + "management.uri=" + managementUri() + "\n"
            + "management.user=guest\n"
            + "management.password=guest\n";
    }

    private void management(String method, String path, String body) {
        try {
            HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(managementUri().resolve(path))
                    .method(method, HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void launch() throws IOException {
        long start = System.nanoTime();
        Files.createDirectories(directory.resolve("log"));
        Files.writeString(directory.resolve("rabbitmq.conf"), String.join("\n",
            "listeners.tcp.default = " + LOOPBACK + ":" + amqpPort,
            "management.tcp.ip = " + LOOPBACK,
            "management.tcp.port = " + managementPort,
            // James's node and the tests say so themselves; no statistics needed between two samples.
            "collect_statistics_interval = 60000",
            ""));
        Files.writeString(directory.resolve("enabled_plugins"), "[rabbitmq_management].\n");
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", SUPERVISOR, SERVER.toString())
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(directory.resolve("log").resolve("supervisor.log").toFile());
        Map<String, String> environment = builder.environment();
        environment.putAll(ImmutableMap.<String, String>builder()
            .put("HOME", directory.toString())
            .put("EPMD_PORT", String.valueOf(epmdPort))
            .put("ERL_EPMD_PORT", String.valueOf(epmdPort))
            .put("ERL_EPMD_ADDRESS", LOOPBACK)
            .put("RABBITMQ_NODENAME", "split-domain-" + amqpPort + "@localhost")
            .put("RABBITMQ_NODE_IP_ADDRESS", LOOPBACK)
            .put("RABBITMQ_NODE_PORT", String.valueOf(amqpPort))
            .put("RABBITMQ_DIST_PORT", String.valueOf(distributionPort))
            .put("RABBITMQ_MNESIA_BASE", directory.resolve("mnesia").toString())
            .put("RABBITMQ_LOG_BASE", directory.resolve("log").toString())
            .put("RABBITMQ_CONFIG_FILE", directory.resolve("rabbitmq").toString())
            .put("RABBITMQ_ENABLED_PLUGINS_FILE", directory.resolve("enabled_plugins").toString())
            .put("RABBITMQ_PID_FILE", directory.resolve("rabbitmq.pid").toString())
            .build());
        supervisor = builder.start();
        LOGGER.info("Starting RabbitMQ on {}:{} (management {}), files in {}", LOOPBACK, amqpPort, managementPort, directory);
        try {
            Awaitility.await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(250)).pollInSameThread().until(() -> {
                if (!supervisor.isAlive()) {
                    throw new IllegalStateException("RabbitMQ exited while starting; see " + directory.resolve("log"));
                }
                return accepts(amqpPort) && accepts(managementPort) && managementAnswers();
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("RabbitMQ did not start within " + START_TIMEOUT.toSeconds() + " s; see " + directory.resolve("log"), e);
        }
        LOGGER.info("RabbitMQ ready on {}:{} after {} ms", LOOPBACK, amqpPort, (System.nanoTime() - start) / 1_000_000);
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean managementAnswers() {
        try {
            management("GET", "/api/overview", "");
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (supervisor != null) {
            try {
                supervisor.getOutputStream().close();
                if (!supervisor.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    LOGGER.warn("RabbitMQ did not stop within 30 s; killing its supervisor (pid {})", supervisor.pid());
                    supervisor.descendants().forEach(ProcessHandle::destroyForcibly);
                    supervisor.destroyForcibly();
                }
            } catch (IOException e) {
                LOGGER.warn("Could not stop RabbitMQ", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            supervisor = null;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOGGER.warn("Could not delete {}", directory, e);
        }
    }
}
