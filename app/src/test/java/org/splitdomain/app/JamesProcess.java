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
import java.util.Map;
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
        int smtpPort = SmtpSink.freePort();
        int webAdminPort = SmtpSink.freePort();
        // Neither port is held until James binds it: the system may hand the same one out twice.
        while (webAdminPort == smtpPort) {
            webAdminPort = SmtpSink.freePort();
        }
        Path work = Files.createTempDirectory("drop-in-" + name + "-");
        ConfigurationDirectory.prepareOnLoopback(JamesNode.JAMES_CONF, work, ServerPorts.parse(
            "smtp=" + smtpPort + ",submission=0,imap=0,pop3=0,webadmin=" + webAdminPort));
        for (Map.Entry<String, UnaryOperator<String>> edit : edits.entrySet()) {
            Path file = work.resolve("conf").resolve(edit.getKey());
            String content = Files.exists(file) ? Files.readString(file) : "";
            Files.writeString(file, edit.getValue().apply(content));
        }
        return new JamesProcess(work, smtpPort, webAdminPort);
    }

    private final Path work;
    private final int smtpPort;
    private final int webAdminPort;
    private Process process;

    private JamesProcess(Path work, int smtpPort, int webAdminPort) {
        this.work = work;
        this.smtpPort = smtpPort;
        this.webAdminPort = webAdminPort;
    }

    /** What the JVM wrote to its console. */
    String consoleOutput() throws java.io.IOException {
        return Files.readString(work.resolve("james.log"));
    }

    Path workingDirectory() {
        return work;
    }

    int smtpPort() {
        return smtpPort;
    }

    /** Starts stock James with the drop-in jar and waits until our WebAdmin routes answer. */
    JamesProcess startStock() throws Exception {
        // James's class path: everything this test runs with, minus our own classes.
        String jamesClassPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> !entry.contains("splitdomain") && !entry.contains("split-domain")
                && !entry.startsWith(JamesNode.JAMES_CONF.getParent().toString()))
            .collect(Collectors.joining(File.pathSeparator));
        Files.createDirectories(work.resolve("extensions-jars"));
        Files.copy(jar(), work.resolve("extensions-jars").resolve("james-split-domain.jar"), StandardCopyOption.REPLACE_EXISTING);
        return start(jamesClassPath, "org.apache.james.MemoryJamesServerMain");
    }

    /** Starts our launcher on this working directory with these options (e.g. {@code --queue activemq}). */
    JamesProcess startLauncher(String... options) throws Exception {
        return startLauncher(ImmutableList.of("-Dlogback.configurationFile=" + work.resolve("conf/logback.xml")), options);
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
            .add(SplitDomainJamesServer.class.getName(), "--conf", work.resolve("conf").toString(), "--work", work.toString())
            .add(options)
            .build()
            .toArray(String[]::new);
        return start(System.getProperty("java.class.path"), jvmOptions, arguments);
    }

    private JamesProcess start(String classPath, String... mainAndArguments) throws Exception {
        return start(classPath, ImmutableList.of("-Dlogback.configurationFile=" + work.resolve("conf/logback.xml")), mainAndArguments);
    }

    private JamesProcess start(String classPath, ImmutableList<String> jvmOptions, String... mainAndArguments) throws Exception {
        process = new ProcessBuilder(ImmutableList.<String>builder()
                .add(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Dworking.directory=" + work)
                .addAll(jvmOptions)
                .add("-Djames.exit.on.startup.error=true", "-cp", classPath)
                .add(mainAndArguments)
                .build())
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("james.log").toFile()))
            .start();

        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
            .until(() -> {
                assertThat(process.isAlive()).as("James exited, see %s", work.resolve("james.log")).isTrue();
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webAdminPort + "/split-routing/domains"))
                        .header("Authorization", "Bearer " + WebAdminAccess.token(work).orElseThrow()).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            });
        return this;
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

    RequestSpecification webAdmin() {
        return given().baseUri("http://127.0.0.1").port(webAdminPort).contentType(ContentType.JSON)
            .header("Authorization", "Bearer " + WebAdminAccess.token(work).orElseThrow());
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
