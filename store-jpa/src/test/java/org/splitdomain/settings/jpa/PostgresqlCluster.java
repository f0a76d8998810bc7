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
package org.splitdomain.settings.jpa;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.apache.commons.configuration2.MapConfiguration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway PostgreSQL cluster of the tests' own: initdb into a temporary directory, started on a
 * free loopback port, stopped and deleted after the test class. Needs the PostgreSQL server binaries
 * (Debian: {@code apt-get install -y postgresql}); without them the test class is skipped.
 * PostgreSQL refuses to run as root, so under root the cluster runs as the {@code postgres} user.
 */
public final class PostgresqlCluster implements BeforeAllCallback, AfterAllCallback {
    private static final Logger LOGGER = LoggerFactory.getLogger(PostgresqlCluster.class);
    private static final String SUPERUSER = "james";
    private static final String PASSWORD = "split-domain-secret";
    private static final String RUN_AS = "postgres";

    private final AtomicInteger databases = new AtomicInteger();
    private Path binaries;
    private Path home;
    private int port;
    private Thread stopAtExit;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Optional<Path> found = findBinaries();
        if (found.isEmpty()) {
            // Surefire counts a class skipped this way as 0 tests and prints no reason: say it here.
            String reason = "PostgreSQL server binaries (initdb, pg_ctl) are neither on the PATH nor in /usr/lib/postgresql/*/bin: "
                + "skipping " + context.getDisplayName() + "; install them (Debian: apt-get install -y postgresql) to run it";
            LOGGER.warn(reason);
            Assumptions.assumeTrue(false, reason);
        }
        binaries = found.get();
        home = Files.createTempDirectory("split-domain-postgresql");
        stopAtExit = new Thread(this::stop, "postgresql-cluster-stop");
        Runtime.getRuntime().addShutdownHook(stopAtExit);
        Path passwordFile = Files.writeString(home.resolve("password"), PASSWORD);
        if (runningAsRoot()) {
            UserPrincipal owner = nonRootUser();
            Files.setOwner(home, owner);
            Files.setOwner(passwordFile, owner);
        }
        port = freePort();
        run("initdb", "-D", data(), "-U", SUPERUSER, "--pwfile=" + passwordFile, "--auth-host=scram-sha-256",
            "--auth-local=trust", "--encoding=UTF8", "--no-locale");
        startServer();
        LOGGER.info("PostgreSQL from {} started on 127.0.0.1:{} in {}", binaries, port, home);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (stopAtExit != null) {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
            stop();
        }
    }

    /** A new, empty database of the cluster. */
    public Database createDatabase() {
        String name = "split_routing_" + databases.incrementAndGet();
        execute("CREATE DATABASE " + name);
        return new Database(name);
    }

    public final class Database implements TestDatabase {
        private final String name;

        private Database(String name) {
            this.name = name;
        }

        @Override
        public SplitRoutingDatabaseConfiguration configuration() {
            return SplitRoutingDatabaseConfiguration.from(new MapConfiguration(Map.of(
                "database.driverClassName", "org.postgresql.Driver",
                "database.url", url(name),
                "database.username", SUPERUSER,
                "database.password", PASSWORD)));
        }

        /**
         * A James {@code james-database.properties} naming this database; {@code applicationName} tags its connections,
         * so that {@link #connectionsOf} can count those of one James node.
         */
        public String jamesDatabaseProperties(String applicationName) {
            return "database.driverClassName=org.postgresql.Driver\n"
                + "database.url=" + url(name) + "?ApplicationName=" + applicationName + "\n"
                + "database.username=" + SUPERUSER + "\n"
                + "database.password=" + PASSWORD + "\n";
        }

        /** A JDBC URL with the credentials in it, as one gives it on a command line. */
        public String urlWithCredentials() {
            return url(name) + "?user=" + SUPERUSER + "&password=" + PASSWORD;
        }

        /** The connections open to this database that carry {@code applicationName}. */
        public long connectionsOf(String applicationName) throws SQLException {
            try (Connection connection = connect();
                 PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND application_name = ?")) {
                query.setString(1, name);
                query.setString(2, applicationName);
                try (ResultSet result = query.executeQuery()) {
                    result.next();
                    return result.getLong(1);
                }
            }
        }

        @Override
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url(name), SUPERUSER, PASSWORD);
        }

        /** Also ends connections left open, so that a test that failed half-way cannot block the next. */
        @Override
        public void drop() {
            execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(url("postgres"), SUPERUSER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL refused: " + sql, e);
        }
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private UserPrincipal nonRootUser() throws IOException {
        try {
            return home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(RUN_AS);
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalStateException("PostgreSQL refuses to run as root and there is no '" + RUN_AS
                + "' user to run it as (Debian's postgresql package creates it)", e);
        }
    }

    /** Starts the server again on the same port and data, as after {@link #stopServer()}. */
    public void startServer() {
        run("pg_ctl", "-D", data(), "-l", home.resolve("postgresql.log").toString(), "-w", "-t", "60",
            "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + home + " -c fsync=off",
            "start");
    }

    /** Stops the server, its data kept, cutting every connection: a database that went down. */
    public void stopServer() {
        run("pg_ctl", "-D", data(), "-m", "fast", "-w", "stop");
    }

    private synchronized void stop() {
        try {
            if (Files.exists(home.resolve("data").resolve("postmaster.pid"))) {
                run("pg_ctl", "-D", data(), "-m", "fast", "-w", "stop");
            }
        } finally {
            deleteRecursively(home);
        }
    }

    private String data() {
        return home.resolve("data").toString();
    }

    private void run(String program, String... arguments) {
        List<String> command = new ArrayList<>();
        if (runningAsRoot()) {
            command.addAll(List.of(runuser(), "-u", RUN_AS, "--"));
        }
        command.add(binaries.resolve(program).toString());
        command.addAll(List.of(arguments));
        try {
            Path output = Files.createTempFile("postgresql-command", ".log");
            try {
                Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
                if (!process.waitFor(2, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish in 2 minutes");
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + process.exitValue()
                        + ":\n" + Files.readString(output, StandardCharsets.UTF_8) + serverLog());
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String serverLog() throws IOException {
        Path log = home.resolve("postgresql.log");
        return Files.exists(log) ? "\nserver log:\n" + Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private static Optional<Path> findBinaries() {
        Stream<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
            .filter(directory -> !directory.isEmpty())
            .map(Path::of);
        Stream<Path> debian = listDirectory(Path.of("/usr/lib/postgresql"))
            .sorted(Comparator.comparing(PostgresqlCluster::majorVersion).reversed())
            .map(version -> version.resolve("bin"));
        return Stream.concat(onPath, debian)
            .filter(directory -> Files.isExecutable(directory.resolve("initdb")) && Files.isExecutable(directory.resolve("pg_ctl")))
            .findFirst();
    }

    private static int majorVersion(Path versionDirectory) {
        try {
            return Integer.parseInt(versionDirectory.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Stream<Path> listDirectory(Path directory) {
        if (!Files.isDirectory(directory)) {
            return Stream.empty();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // /usr/sbin is not on every root PATH (su without -l, some CI runners).
    private static String runuser() {
        return Stream.of("/usr/sbin/runuser", "/sbin/runuser")
            .filter(candidate -> Files.isExecutable(Path.of(candidate)))
            .findFirst()
            .orElse("runuser");
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOGGER.warn("Could not delete the PostgreSQL test cluster in {}", directory, e);
        }
    }
}
