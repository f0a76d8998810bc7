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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The README's demo section as a reader follows it: the demo on its documented ports and working directory
 * prints exactly what the README shows, and every "Try it" line, run as written by bash from the repository
 * root (swaks, curl with the token file), does what its comment says.
 */
@ResourceLock(ReadmeDemoTest.DOCUMENTED_PORTS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadmeDemoTest {
    /** The ports the README documents (2525, 8001, ...): one test class at a time binds them. */
    static final String DOCUMENTED_PORTS = "the README's documented ports";

    private static final Path REPOSITORY = JamesNode.JAMES_CONF.getParent();

    private final ScratchDirectory work = new ScratchDirectory(REPOSITORY.resolve("run").resolve("demo"));
    private SplitRoutingDemo demo;

    @BeforeAll
    void start() throws Exception {
        demo = SplitRoutingDemo.start(JamesNode.JAMES_CONF, work.path(), SplitRoutingDemo.MASTER_PORTS, SplitRoutingDemo.SLAVE_PORTS);
    }

    @AfterAll
    void stop() {
        if (demo != null) {
            demo.close();
        }
        work.clean();
    }

    /** The block the README shows after "The first command prints where everything listens and how to try it:". */
    private static List<String> readmeDemoOutput() throws Exception {
        String readme = Files.readString(REPOSITORY.resolve("README.md"));
        int intro = readme.indexOf("The first command prints where everything listens and how to try it:");
        assertThat(intro).as("the README's demo section").isPositive();
        int start = readme.indexOf("```\n", intro) + 4;
        int end = readme.indexOf("```", start);
        return readme.substring(start, end).lines().collect(Collectors.toList());
    }

    @Test
    void theDemoShouldPrintWhatTheReadmeShows() throws Exception {
        assertThat(demo.instructions().strip().lines().collect(Collectors.toList()))
            .isEqualTo(readmeDemoOutput());
    }

    @Test
    void everyTryItLineShouldDoWhatItsCommentSays() throws Exception {
        // .ci/run installs swaks; a bare `mvn verify` without it skips this one test, and says so.
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/swaks")), "swaks is not installed (Debian's swaks): the README's demo lines are not run");
        List<String> commands = readmeDemoOutput().stream()
            .map(String::strip)
            .filter(line -> line.startsWith("swaks ") || line.startsWith("curl "))
            .collect(Collectors.toList());
        assertThat(commands).hasSize(7);

        assertThat(run(commands.get(0))).as(commands.get(0)).contains("<-  250 2.6.0 Message received");
        assertThat(run(commands.get(1))).as(commands.get(1)).contains("<-  250 2.6.0 Message received");
        assertThat(run(commands.get(2))).as(commands.get(2)).contains("<** 550 5.1.1");
        Mailboxes.AWAIT.untilAsserted(() -> assertThat(Mailboxes.messageCount("127.0.0.1", demo.slave().imapPort(), "bob@example.com")).isEqualTo(1));
        Mailboxes.AWAIT.untilAsserted(() -> assertThat(Mailboxes.messageCount("127.0.0.1", demo.master().imapPort(), "alice@example.com")).isEqualTo(1));
        assertThat(run(commands.get(3))).as(commands.get(3))
            .contains("\"address\":\"bob@example.com\"")
            .contains("\"route\":\"relay\"");
        assertThat(run(commands.get(4))).as(commands.get(4)).contains("\"domain\":\"example.com\"");
        // bob's mail, read over IMAP as printed: it went through the master, then the slave, each under its own name.
        assertThat(run(commands.get(5))).as(commands.get(5))
            .contains("by " + DemoNode.hostName("slave") + " (JAMES SMTP Server")
            .contains("by " + DemoNode.hostName("master") + " (JAMES SMTP Server")
            .contains("EHLO " + DemoNode.hostName("master"));
        assertThat(run(commands.get(6))).as(commands.get(6)).contains("by " + DemoNode.hostName("master") + " (JAMES SMTP Server")
            .contains("EHLO " + DemoNode.hostName("slave"));
        // Each server its own log, its name in every line: the master relayed bob's mail.
        assertThat(Files.readAllLines(demo.master().log()))
            .anyMatch(line -> line.contains("[master] INFO  RelaySender - ") && line.contains("to bob@example.com") && line.contains("status=sent"));
        assertThat(Files.readAllLines(demo.master().log())).filteredOn(line -> line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*"))
            .isNotEmpty().allMatch(line -> line.contains(" [master] "));
        assertThat(Files.readAllLines(demo.slave().log())).filteredOn(line -> line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*"))
            .isNotEmpty().allMatch(line -> line.contains(" [slave] "));
    }

    /** Runs one README line with bash from the repository root; its output, comment included in the command. */
    private static String run(String line) throws Exception {
        Process process = new ProcessBuilder("bash", "-c", line)
            .directory(REPOSITORY.toFile())
            .redirectErrorStream(true)
            .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", line).isTrue();
        return new String(process.getInputStream().readAllBytes());
    }
}
