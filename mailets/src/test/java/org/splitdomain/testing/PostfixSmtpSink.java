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
package org.splitdomain.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Postfix's own {@code smtp-sink} (Debian's postfix package, which {@code .ci/run} installs): an SMTP
 * server that offers DSN and dumps every transaction with the MAIL FROM and RCPT TO parameters it got
 * ({@code X-Mail-Args}, {@code X-Rcpt-Args}), what SubEthaSMTP cannot show.
 */
public final class PostfixSmtpSink implements AutoCloseable {
    public static final Path SMTP_SINK = Paths.get("/usr/sbin/smtp-sink");

    public static boolean isInstalled() {
        return Files.isExecutable(SMTP_SINK);
    }

    public static PostfixSmtpSink start(String address) throws Exception {
        int port = SmtpSink.freePort();
        Path directory = Files.createTempDirectory("smtp-sink");
        // smtp-sink drops its privileges to nobody before it writes the dump.
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path dump = directory.resolve("dump");
        Process process = new ProcessBuilder(SMTP_SINK.toString(), "-u", "nobody", "-D", dump.toString(), address + ":" + port, "10")
            .redirectErrorStream(true)
            .redirectOutput(directory.resolve("smtp-sink.log").toFile())
            .start();
        PostfixSmtpSink sink = new PostfixSmtpSink(process, address, port, dump);
        sink.awaitListening();
        return sink;
    }

    private final Process process;
    private final String address;
    private final int port;
    private final Path dump;

    private PostfixSmtpSink(Process process, String address, int port, Path dump) {
        this.process = process;
        this.address = address;
        this.port = port;
        this.dump = dump;
    }

    private void awaitListening() throws InterruptedException, IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), 500);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IOException("smtp-sink exited with " + process.exitValue());
                }
                Thread.sleep(100);
            }
        }
        throw new IOException("smtp-sink does not listen on " + relay());
    }

    public String relay() {
        return address + ":" + port;
    }

    /** The dumped lines that start with this header name, e.g. {@code X-Mail-Args:}, across all transactions. */
    public List<String> dumped(String header) throws IOException {
        // smtp-sink may add a suffix to the name it was given.
        try (Stream<Path> files = Files.list(dump.getParent())) {
            List<Path> dumps = files.filter(file -> file.getFileName().toString().startsWith(dump.getFileName().toString()))
                .collect(Collectors.toList());
            List<String> found = new java.util.ArrayList<>();
            for (Path file : dumps) {
                try (Stream<String> lines = Files.lines(file)) {
                    lines.filter(line -> line.startsWith(header)).forEach(found::add);
                }
            }
            return found;
        }
    }

    @Override
    public void close() {
        process.destroy();
    }
}
