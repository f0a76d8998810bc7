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

import org.apache.james.core.Domain;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.splitdomain.route.JamesData;
import org.splitdomain.route.UserAddresses;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.MemorySplitRoutingStore;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.service.OwnSmtpEndpoints;
import org.splitdomain.settings.service.SettingsWarnings;
import org.splitdomain.settings.service.TestSmtpEndpoints;

import com.google.common.collect.ImmutableList;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

class OwnRelayStartupCheckTest {
    private JamesData james;

    @BeforeEach
    void setUp() throws Exception {
        james = new JamesData();
    }

    private SettingsWarnings warnings(OwnSmtpEndpoints ownSmtpEndpoints) {
        return new SettingsWarnings(ownSmtpEndpoints, new UserAddresses(james.usersRepository, james.recipientRewriteTable),
            james.routeResolver, james.store);
    }

    @Test
    void startupCheckShouldWarnAboutEveryDomainRelayingToThisServer() {
        MemorySplitRoutingStore store = new MemorySplitRoutingStore();
        store.storeDomainRouting(Domain.of("looping.com"), DomainRouting.of(ImmutableList.of(RelayHost.parse("self.example.net:25")), true));
        store.storeDomainRouting(Domain.of("fine.com"), DomainRouting.of(ImmutableList.of(RelayHost.parse("partner.example.net:25")), true));
        Logger logger = (Logger) LoggerFactory.getLogger(OwnRelayStartupCheck.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            new OwnRelayStartupCheck(store, warnings(TestSmtpEndpoints.listeningOn(25))).start();
        } finally {
            logger.detachAppender(appender);
        }

        assertThat(appender.list)
            .extracting(ILoggingEvent::getFormattedMessage)
            .containsExactly("Split routing of looping.com: relay self.example.net:25 is this server's own SMTP endpoint: mail relayed there comes straight back");
    }
}
