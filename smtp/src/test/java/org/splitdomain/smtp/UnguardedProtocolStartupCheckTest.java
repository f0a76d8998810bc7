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
package org.splitdomain.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;

import org.apache.commons.configuration2.XMLConfiguration;
import org.apache.commons.configuration2.io.FileHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

class UnguardedProtocolStartupCheckTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(UnguardedProtocolStartupCheck.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void listen() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(logs);
    }

    private void startWith(String manageSieveServers) {
        new UnguardedProtocolStartupCheck((component, level) -> {
            assertThat(component).isEqualTo("managesieveserver");
            XMLConfiguration configuration = new XMLConfiguration();
            new FileHandler(configuration).load(new StringReader(manageSieveServers));
            return configuration;
        }).start();
    }

    @Test
    void anEnabledManageSieveShouldBeReportedAsAnErrorNamingTheFile() {
        startWith("<managesieveservers><managesieveserver enabled=\"true\"><bind>0.0.0.0:4190</bind></managesieveserver></managesieveservers>");

        assertThat(logs.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.ERROR);
            assertThat(event.getFormattedMessage()).startsWith("ManageSieve is on (managesieveserver.xml, <managesieveserver enabled=\"true\">)");
        });
    }

    @Test
    void aDisabledManageSieveShouldSayNothing() {
        startWith("<managesieveservers><managesieveserver enabled=\"false\"><bind>0.0.0.0:4190</bind></managesieveserver></managesieveservers>");

        assertThat(logs.list).isEmpty();
    }
}
