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

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.google.common.collect.ImmutableList;

/**
 * One server of the demo: our launcher in a JVM of its own, on loopback, logging to {@code <work>/james.log}
 * with its name in every line (two servers in one JVM could not be told apart in a log).
 */
final class DemoNode implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern RUNNING = Pattern.compile(
        "is running on .*: SMTP (\\d+), submission (\\d+), IMAP (\\d+), WebAdmin (\\d+)");

    /** Starts the launcher on {@code work}, prepared from {@code jamesConf} on loopback; returns at once. */
    static DemoNode launch(String name, Path jamesConf, Path work, ServerPorts ports) throws IOException {
        ConfigurationDirectory.prepareOnLoopback(jamesConf, work, ports);
        // Each server greets, and is greeted, with a name of its own: the Received: lines of a relayed mail tell its hops apart.
        rename(work.resolve("conf/smtpserver.xml"), hostName(name));
        rename(work.resolve("conf/mailetcontainer.xml"), hostName(name));
        Path logback = work.resolve("demo-logback.xml");
        Files.writeString(logback, logback(name, work.resolve("james.log")), StandardCharsets.UTF_8);
        Path console = work.resolve("console.log");
        Files.deleteIfExists(console);
        Process process = new ProcessBuilder(ImmutableList.<String>builder()
                .add(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dlogback.configurationFile=" + logback, "-Djames.exit.on.startup.error=true",
                    "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                    "-cp", classPath(), SplitRoutingJamesServer.class.getName(),
                    // Prepared above (ports, loopback resolver): the launcher copies conf/ onto itself.
                    "--conf", work.resolve("conf").toString(), "--work", work.toString(), "--bind", "127.0.0.1")
                .build())
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(console.toFile())
            .start();
        // A demo that ends in any way (Ctrl-C, a failed test's JVM) takes its servers with it.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-demo-" + name));
        return new DemoNode(name, work, process, console);
    }

    static String hostName(String name) {
        return "mx-" + name + ".example.net";
    }

    // james-conf's placeholder for this server's own host name (README, "Names").
    private static void rename(Path file, String hostName) throws IOException {
        String content = Files.readString(file, StandardCharsets.UTF_8);
        if (!content.contains(">mx1.example.net<")) {
            throw new IllegalStateException(file + " no longer names this server mx1.example.net: the demo cannot give it its own name");
        }
        Files.writeString(file, content.replace(">mx1.example.net<", ">" + hostName + "<"), StandardCharsets.UTF_8);
    }

    private final String name;
    private final Path work;
    private final Process process;
    private final Path console;
    private int[] ports;

    private DemoNode(String name, Path work, Process process, Path console) {
        this.name = name;
        this.work = work;
        this.process = process;
        this.console = console;
    }

    /** Waits until the launcher says it runs, and learns its ports. */
    DemoNode awaitRunning() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            String output = Files.exists(console) ? Files.readString(console, StandardCharsets.UTF_8) : "";
            Matcher running = RUNNING.matcher(output);
            if (running.find()) {
                ports = new int[] {Integer.parseInt(running.group(1)), Integer.parseInt(running.group(2)),
                    Integer.parseInt(running.group(3)), Integer.parseInt(running.group(4))};
                return this;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("The " + name + " server stopped at start-up: see " + console + " and " + work.resolve("james.log"));
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("The " + name + " server did not start within " + START_TIMEOUT + ": see " + console);
    }

    String name() {
        return name;
    }

    Path workingDirectory() {
        return work;
    }

    Path log() {
        return work.resolve("james.log");
    }

    int smtpPort() {
        return ports[0];
    }

    int submissionPort() {
        return ports[1];
    }

    int imapPort() {
        return ports[2];
    }

    int webAdminPort() {
        return ports[3];
    }

    String token() {
        return WebAdminAccess.token(work).orElseThrow();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String logback(String name, Path file) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<!-- Made by the demo: james-conf's levels, one file per server, its name in every line. -->\n"
            + "<configuration>\n"
            + "    <contextListener class=\"ch.qos.logback.classic.jul.LevelChangePropagator\"><resetJUL>true</resetJUL></contextListener>\n"
            + "    <appender name=\"FILE\" class=\"ch.qos.logback.core.FileAppender\">\n"
            + "        <file>" + file + "</file>\n"
            + "        <encoder><pattern>%d{HH:mm:ss.SSS} [" + name + "] %-5level %logger{0} - %msg%n</pattern></encoder>\n"
            + "    </appender>\n"
            + "    <root level=\"WARN\"><appender-ref ref=\"FILE\"/></root>\n"
            + "    <logger name=\"org.apache.james\" level=\"INFO\"/>\n"
            + "    <logger name=\"org.splitdomain\" level=\"INFO\"/>\n"
            + "</configuration>\n";
    }

    // Under `mvn exec:java` the application's class path is the context class loader's, not java.class.path (Maven's).
    private static String classPath() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader instanceof URLClassLoader && ((URLClassLoader) loader).getURLs().length > 0) {
            return Arrays.stream(((URLClassLoader) loader).getURLs())
                .map(DemoNode::toPath)
                .collect(Collectors.joining(File.pathSeparator));
        }
        return System.getProperty("java.class.path");
    }

    private static String toPath(URL url) {
        try {
            return Paths.get(url.toURI()).toString();
        } catch (URISyntaxException e) {
            throw new UncheckedIOException(new IOException("Not a file on the class path: " + url, e));
        }
    }
}
