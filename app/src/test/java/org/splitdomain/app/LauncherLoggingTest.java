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
                .contains("operator-pattern INFO  SplitDomainJamesServer - James (memory flavour) with split-domain routing started on")
                .contains("operator-pattern INFO  DomainSplitRoutingRoutes - Split routing of logged.example set to");
            // James's testing jar (on this class path) would have logged DEBUG to target/test-run.log instead.
            assertThat(james.workingDirectory().resolve("target/test-run.log")).doesNotExist();
        }
    }
}
