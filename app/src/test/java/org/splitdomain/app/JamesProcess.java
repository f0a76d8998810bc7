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

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;

import com.google.common.collect.ImmutableList;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.splitdomain.testing.SmtpSink;

/**
 * A James in a JVM of its own, on james-conf/ (optionally edited): either the product as an operator
 * installs it ({@link #startStock}: a stock James memory server on James's class path only, with our
 * packaged jar in {@code extensions-jars/}), or our launcher ({@link #startLauncher}). Stopped and
 * started again on the same working directory, it is a restarted server; {@link #kill} is a crash.
 */
final class JamesProcess implements AutoCloseable {
    static JamesProcess prepare(String name, Map<String, UnaryOperator<String>> edits) throws Exception {
        return prepare(name, Flavour.MEMORY, "127.0.0.1", edits);
    }

    /**
     * A working directory from james-conf for a server of {@code flavour} (its {@code flavours/} overlay applied, Derby
     * under the working directory for JPA), its protocol servers listening on {@code address} only.
     */
    static JamesProcess prepare(String name, Flavour flavour, String address, Map<String, UnaryOperator<String>> edits) throws Exception {
        return prepare(name, JamesNode.JAMES_CONF, flavour, address, edits);
    }

    /** As {@link #prepare(String, Flavour, String, Map)}, from another configuration directory than james-conf. */
    static JamesProcess prepare(String name, Path configuration, Flavour flavour, String address, Map<String, UnaryOperator<String>> edits)
            throws Exception {
        Path work = Files.createTempDirectory("james-process-" + name + "-");
        Ports ports = Ports.free(address);
        ConfigurationDirectory.prepareOnLoopback(configuration, work, ServerPorts.parse(ports.asOption()), flavour);
        ConfigurationDirectory.bindTo(work, address);
        if (!address.equals("127.0.0.1")) {
            for (String file : ImmutableList.of("smtpserver.xml", "imapserver.xml")) {
                Path xml = work.resolve("conf").resolve(file);
                Files.writeString(xml, JamesNode.edit(Files.readString(xml), "<bind>127.0.0.1:", "<bind>" + address + ":"));
            }
        }
        for (Map.Entry<String, UnaryOperator<String>> edit : edits.entrySet()) {
            Path file = work.resolve("conf").resolve(edit.getKey());
            String content = Files.exists(file) ? Files.readString(file) : "";
            Files.writeString(file, edit.getValue().apply(content));
        }
        return new JamesProcess(work, address, ports);
    }

    /**
     * Every port of the server, drawn apart and given explicitly: a server left to pick its own (port 0) once took the port
     * meant for its WebAdmin, which then could not start (CI). None is held until James binds it, so they are all distinct.
     */
    private record Ports(int smtp, int imap, int webAdmin, int submission, int smtps, int imaps, int pop3) {
        static Ports free(String address) throws Exception {
            Set<Integer> taken = new HashSet<>();
            return new Ports(distinct(taken, address), distinct(taken, address), distinct(taken, "127.0.0.1"), distinct(taken, address),
                distinct(taken, address), distinct(taken, address), distinct(taken, address));
        }

        String asOption() {
            return "smtp=" + smtp + ",submission=" + submission + ",smtps=" + smtps + ",imap=" + imap + ",imaps=" + imaps
                + ",pop3=" + pop3 + ",webadmin=" + webAdmin;
        }

        private static int distinct(Set<Integer> taken, String address) throws Exception {
            int port = SmtpSink.freePort(address);
            while (!taken.add(port)) {
                port = SmtpSink.freePort(address);
            }
            return port;
        }
    }

    private final Path work;
    private final String address;
    private final Ports ports;
    private Process process;

    private JamesProcess(Path work, String address, Ports ports) {
        this.work = work;
        this.address = address;
        this.ports = ports;
    }

    /** What the JVM wrote to its console. */
    String consoleOutput() throws java.io.IOException {
        return Files.readString(work.resolve("james.log"));
    }

    Path workingDirectory() {
        return work;
    }

    int smtpPort() {
        return ports.smtp;
    }

    int imapPort() {
        return ports.imap;
    }

    /** The loopback address its SMTP and IMAP servers listen on. */
    String address() {
        return address;
    }

    /** host:port of its MX, as a partner names it among its relays. */
    String relayAddress() {
        return address + ":" + ports.smtp;
    }

    /** Starts stock James with the drop-in jar and waits until our WebAdmin routes answer. */
    JamesProcess startStock() throws Exception {
        // James's class path: everything this test runs with, minus our own classes.
        String jamesClassPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> !entry.contains("splitdomain") && !entry.contains("split-domain")
                && !entry.startsWith(JamesNode.JAMES_CONF.getParent().toString()))
            .collect(Collectors.joining(File.pathSeparator));
        installDropInJar();
        return start(jamesClassPath, "org.apache.james.MemoryJamesServerMain");
    }

    /**
     * Starts James's JPA server as the official JPA image runs it (its own class path only: no JMAP, none of our classes),
     * with the drop-in jar in {@code extensions-jars/}, and waits until our WebAdmin routes answer.
     */
    JamesProcess startStockJpa() throws Exception {
        return start(stockJpaClassPath(), "org.splitdomain.jpaserver.JPAJamesServerMain");
    }

    /** Starts the stock JPA server and returns once its JVM has exited, as James does when it refuses to start. */
    int startStockJpaExpectingRefusal() throws Exception {
        installDropInJar();
        process = launch(stockJpaClassPath(), ImmutableList.of("-Dlogback.configurationFile=" + work.resolve("conf/logback.xml")),
            "org.splitdomain.jpaserver.JPAJamesServerMain");
        if (!process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("James did not stop within 2 minutes, see " + work.resolve("james.log"));
        }
        int exit = process.exitValue();
        process = null;
        return exit;
    }

    private String stockJpaClassPath() throws Exception {
        installDropInJar();
        Path server = Paths.get(System.getProperty("jpa-server.jar"));
        assertThat(server).as("the JPA server's jar (run 'mvn verify')").exists();
        Path classPath = server.getParent().resolve("jpa-server.classpath");
        return server + File.pathSeparator + Files.readString(classPath).trim();
    }

    private void installDropInJar() throws Exception {
        Files.createDirectories(work.resolve("extensions-jars"));
        Files.copy(jar(), work.resolve("extensions-jars").resolve("james-split-domain.jar"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Starts our launcher on this working directory with these options (e.g. {@code --flavour jpa}). */
    JamesProcess startLauncher(String... options) throws Exception {
        return startLauncher(ImmutableList.of("-Dlogback.configurationFile=" + work.resolve("conf/logback.xml")), options);
    }

    /** Runs our launcher with these options until it exits by itself, as it does when it cannot start; its exit code. */
    int runLauncherUntilExit(Duration atMost, String... options) throws Exception {
        String[] arguments = ImmutableList.<String>builder()
            .add(SplitRoutingJamesServer.class.getName(), "--conf", work.resolve("conf").toString(), "--work", work.toString())
            .add(options)
            .build()
            .toArray(String[]::new);
        process = launch(System.getProperty("java.class.path"), ImmutableList.of("-Dlogback.configurationFile=" + work.resolve("conf/logback.xml")),
            arguments);
        boolean exited = process.waitFor(atMost.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        if (!exited) {
            throw new AssertionError("the launcher still runs after " + atMost + ", see " + work.resolve("james.log"));
        }
        int exit = process.exitValue();
        process = null;
        return exit;
    }

    int webAdminPort() {
        return ports.webAdmin;
    }

    /** Starts {@code main} with the test class path on this working directory (a flavour composed by the tests, say). */
    JamesProcess startMain(Class<?> main) throws Exception {
        return start(System.getProperty("java.class.path"), main.getName());
    }

    /** Starts our launcher as an operator types it: no logging property, the test class path (logback-test.xml included). */
    JamesProcess startLauncherAsTyped() throws Exception {
        return startLauncher(ImmutableList.of());
    }

    private JamesProcess startLauncher(ImmutableList<String> jvmOptions, String... options) throws Exception {
        String[] arguments = ImmutableList.<String>builder()
            .add(SplitRoutingJamesServer.class.getName(), "--conf", work.resolve("conf").toString(), "--work", work.toString())
            .add(options)
            .build()
            .toArray(String[]::new);
        return start(System.getProperty("java.class.path"), jvmOptions, arguments);
    }

    private JamesProcess start(String classPath, String... mainAndArguments) throws Exception {
        return start(classPath, ImmutableList.of("-Dlogback.configurationFile=" + work.resolve("conf/logback.xml")), mainAndArguments);
    }

    private JamesProcess start(String classPath, ImmutableList<String> jvmOptions, String... mainAndArguments) throws Exception {
        process = launch(classPath, jvmOptions, mainAndArguments);

        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
            .until(() -> {
                assertThat(process.isAlive()).as("James exited, see %s", work.resolve("james.log")).isTrue();
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(webAdminUrl() + "/split-routing/domains"));
                WebAdminAccess.token(work).ifPresent(token -> request.header("Authorization", "Bearer " + token));
                return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            });
        return this;
    }

    private Process launch(String classPath, ImmutableList<String> jvmOptions, String... mainAndArguments) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(ImmutableList.<String>builder()
                .add(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Dworking.directory=" + work,
                    // Its temporary files where the tests' own go (target/tmp): nothing left in /tmp.
                    "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"))
                .addAll(jvmOptions)
                .add("-Djames.exit.on.startup.error=true", "-cp", classPath)
                .add(mainAndArguments)
                .build())
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("james.log").toFile()));
        Process started = builder.start();
        // A test JVM that ends (a failed test, an interrupted build) takes its James with it.
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "stop-" + work.getFileName()));
        return started;
    }

    private static Path jar() {
        Path jar = Paths.get(System.getProperty("drop-in.jar"));
        assertThat(jar).as("the packaged drop-in jar (run 'mvn verify')").exists();
        return jar;
    }

    /** A crash: the JVM is killed (SIGKILL), nothing of James's shutdown runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
        process = null;
    }

    /** WebAdmin as its administrator calls it: with the token the launcher made, when JWT is on. */
    RequestSpecification webAdmin() {
        RequestSpecification webAdmin = given().baseUri("http://127.0.0.1").port(ports.webAdmin).contentType(ContentType.JSON);
        return WebAdminAccess.token(work).map(token -> webAdmin.header("Authorization", "Bearer " + token)).orElse(webAdmin);
    }

    String webAdminUrl() {
        return "http://127.0.0.1:" + ports.webAdmin;
    }

    @Override
    public void close() throws Exception {
        if (process != null) {
            process.destroy();
            process.waitFor();
            process = null;
        }
    }
}
