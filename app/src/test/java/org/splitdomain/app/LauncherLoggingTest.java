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

import org.junit.jupiter.api.Test;

import com.google.common.collect.ImmutableMap;

/** The launcher logs with the configuration directory's logback.xml, as James's start scripts do. */
class LauncherLoggingTest {
    @Test
    void theLauncherShouldLogWithTheLogbackXmlOfItsConfigurationDirectory() throws Exception {
        try (JamesProcess james = JamesProcess.prepare("logging", ImmutableMap.of("logback.xml", conf -> JamesNode.edit(conf,
                "<pattern>%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n</pattern>",
                "<pattern>operator-pattern %-5level %logger{0} - %msg%n</pattern>")))
            .startLauncherAsTyped()) {
            james.webAdmin().put("/domains/logged.example").then().statusCode(204);
            james.webAdmin().body("{\"relays\":[\"127.0.0.2:25\"]}").put("/domains/logged.example/split-routing").then().statusCode(204);

            assertThat(james.consoleOutput())
                .contains("operator-pattern INFO  SplitRoutingJamesServer - James (memory flavour) with split-domain routing started on")
                .contains("operator-pattern INFO  SettingsService - Split routing of logged.example set to");
            // James's testing jar (on this class path) would have logged DEBUG to target/test-run.log instead.
            assertThat(james.workingDirectory().resolve("target/test-run.log")).doesNotExist();
        }
    }
}
