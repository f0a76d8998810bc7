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

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.common.collect.ImmutableMap;

/**
 * The launcher never hangs on what it cannot do: a port another process holds, a configuration file it cannot read,
 * a mandatory setting missing each give one line naming the port, the file or the key, and a non-zero exit within
 * seconds (James 3.8.1 alone waits forever for a WebAdmin port that is taken).
 */
class LauncherFailureTest {
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private JamesProcess james;

    @AfterEach
    void tearDown() throws Exception {
        if (james != null) {
            james.close();
        }
    }

    private String lastLine() throws Exception {
        return james.consoleOutput().lines().filter(line -> line.startsWith("split-domain launcher: ")).reduce((first, second) -> second)
            .orElseThrow(() -> new AssertionError("no line of the launcher in " + james.workingDirectory().resolve("james.log")));
    }

    @Test
    void aTakenWebAdminPortShouldBeNamedAndStopTheLauncher() throws Exception {
        james = JamesProcess.prepare("taken-webadmin", ImmutableMap.of());
        try (ServerSocket holder = new ServerSocket(james.webAdminPort(), 50, InetAddress.getByName("127.0.0.1"))) {
            assertThat(james.runLauncherUntilExit(WITHIN)).isNotZero();
        }

        assertThat(lastLine()).startsWith("split-domain launcher: port " + james.webAdminPort() + " of webadmin.properties (localhost:"
            + james.webAdminPort() + ") cannot be listened on: ").endsWith("; free it, or give another with --ports");
    }

    @Test
    void aTakenSmtpPortShouldBeNamedAndStopTheLauncher() throws Exception {
        james = JamesProcess.prepare("taken-smtp", ImmutableMap.of());
        try (ServerSocket holder = new ServerSocket(james.smtpPort(), 50, InetAddress.getByName("127.0.0.1"))) {
            assertThat(james.runLauncherUntilExit(WITHIN)).isNotZero();
        }

        assertThat(lastLine()).startsWith("split-domain launcher: port " + james.smtpPort() + " of smtpserver.xml (127.0.0.1:"
            + james.smtpPort() + ") cannot be listened on: ");
    }

    @Test
    void aConfigurationFileThatIsNoXmlShouldBeNamed() throws Exception {
        james = JamesProcess.prepare("broken-xml", ImmutableMap.of("smtpserver.xml", conf -> JamesNode.edit(conf, "</smtpservers>", "</smtpserver")));

        assertThat(james.runLauncherUntilExit(WITHIN)).isNotZero();

        assertThat(lastLine()).startsWith("split-domain launcher: Cannot read " + james.workingDirectory().resolve("conf/smtpserver.xml") + ": ")
            .endsWith("The element type \"smtpservers\" must be terminated by the matching end-tag \"</smtpservers>\".");
    }

    @Test
    void aMissingMandatoryKeyShouldBeNamed() throws Exception {
        james = JamesProcess.prepare("no-database-url", Flavour.JPA, "127.0.0.1", ImmutableMap.of("james-database.properties",
            conf -> conf.lines().filter(line -> !line.startsWith("database.url=")).reduce("", (all, line) -> all + line + "\n")));

        assertThat(james.runLauncherUntilExit(WITHIN, "--flavour", "jpa")).isNotZero();

        assertThat(lastLine()).isEqualTo("split-domain launcher: James did not start: 'database.url' is a mandatory property of "
            + "james-database.properties (the log above has the details)");
    }
}
