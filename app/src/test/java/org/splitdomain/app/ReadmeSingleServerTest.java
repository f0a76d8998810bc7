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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

/**
 * The README's single-server command, with the arguments it gives the launcher as written ({@code $PWD} the
 * repository): one James, on the documented ports, on loopback only, its token where the README says.
 */
@ResourceLock(ReadmeDemoTest.DOCUMENTED_PORTS)
class ReadmeSingleServerTest {
    private static final Path REPOSITORY = JamesNode.JAMES_CONF.getParent();

    /** The -Dexec.args="..." of the README's single-server command, split as the shell and exec:java split it. */
    private static List<String> readmeArguments() throws IOException {
        String readme = Files.readString(REPOSITORY.resolve("README.md"));
        Matcher command = Pattern.compile("-Dexec.mainClass=org.splitdomain.app.SplitRoutingJamesServer \\\\\\n\\s*-Dexec.args=\"([^\"]+)\"")
            .matcher(readme);
        assertThat(command.find()).as("the README's single-server command").isTrue();
        return List.of(command.group(1).replace("$PWD", REPOSITORY.toString()).split(" "));
    }

    @Test
    void theSingleServerCommandShouldStartOneJamesOnItsPortsOnLoopbackOnly() throws Exception {
        List<String> arguments = readmeArguments();
        assertThat(arguments).contains("--bind", "127.0.0.1");
        ScratchDirectory work = new ScratchDirectory(REPOSITORY.resolve("run").resolve("mine"));
        Path output = Files.createTempFile("single-server-", ".log");
        Process james = new ProcessBuilder(ImmutableList.<String>builder()
                .add(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Djames.exit.on.startup.error=true",
                    "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                    "-cp", System.getProperty("java.class.path"), SplitRoutingJamesServer.class.getName())
                .addAll(arguments)
                .build())
            .directory(REPOSITORY.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(james.isAlive()).as("the launcher exited, see %s", output).isTrue();
                assertThat(Files.readString(output)).contains("with split-domain routing is running on");
            });
            assertThat(Files.readString(output))
                .contains("James (jpa flavour) with split-domain routing is running on " + work.path().resolve("conf")
                    + " (copied from " + REPOSITORY.resolve("james-conf") + "): SMTP 2525, submission 2587, IMAP 1143, WebAdmin 8001")
                .contains("the token is in " + work.path().resolve("webadmin.token"));
            // Embedded Derby logs beside its store, not in the directory the command was typed in.
            assertThat(work.path().resolve("var/derby.log")).isNotEmptyFile();

            // The lines that set the documents' variables for this server, as written: no token, then the token.
            String variables = Documents.run(REPOSITORY, Documents.shBlock("WEBADMIN=http://127.0.0.1:8001"), ImmutableMap.of());
            assertThat(variables.lines()).containsExactly("401", "[]");
            try (Socket smtp = new Socket("127.0.0.1", 2525)) {
                assertThat(smtp.isConnected()).isTrue();
            }
            // One server: nothing of the demo's slave.
            assertThatThrownBy(() -> new Socket("127.0.0.1", 2526).close()).isInstanceOf(IOException.class);
            // Loopback only: not reachable on this machine's other addresses.
            for (InetAddress address : otherAddresses()) {
                assertThatThrownBy(() -> new Socket(address, 2525).close()).as("SMTP on %s", address).isInstanceOf(IOException.class);
            }
        } finally {
            james.destroy();
            james.waitFor();
            work.clean();
        }
    }

    private static List<InetAddress> otherAddresses() throws IOException {
        List<InetAddress> addresses = new ArrayList<>();
        for (NetworkInterface networkInterface : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(networkInterface.getInetAddresses())) {
                if (!address.isLoopbackAddress() && address instanceof java.net.Inet4Address) {
                    addresses.add(address);
                }
            }
        }
        return addresses;
    }
}
