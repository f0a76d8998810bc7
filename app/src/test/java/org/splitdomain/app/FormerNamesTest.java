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
import static org.splitdomain.app.Mailboxes.PASSWORD;

import java.util.List;
import java.util.stream.Collectors;

import org.apache.commons.net.imap.AuthenticatingIMAPClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.splitdomain.testing.SmtpSink;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * A configuration written before the classes took the product's word, SplitRouting, still starts and still routes: the
 * mailet, the RCPT handler, the IMAP package and the console under their former names, each saying at start-up which
 * name to write.
 */
class FormerNamesTest {
    private static final String PARTNER_ADDRESS = "127.0.0.2";
    private static final List<String> FORMER_CLASSES = ImmutableList.of(
        "org.splitdomain.mailets.SplitDomainRemoteDelivery",
        "org.splitdomain.smtp.SplitDomainRcptHandler",
        "org.splitdomain.imap.SplitDomainImapPackage",
        "org.splitdomain.webadmin.console.SplitDomainConsoleRoutes");

    private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    private JamesNode james;
    private SmtpSink partner;

    @AfterEach
    void tearDown() {
        FORMER_CLASSES.forEach(name -> ((Logger) LoggerFactory.getLogger(name)).detachAppender(warnings));
        if (james != null) {
            james.close();
        }
        if (partner != null) {
            partner.close();
        }
    }

    @Test
    void aConfigurationNamingTheFormerClassesShouldStartRouteAndSayWhichNamesToWrite() throws Exception {
        warnings.start();
        FORMER_CLASSES.forEach(name -> ((Logger) LoggerFactory.getLogger(name)).addAppender(warnings));
        james = JamesNode.start("former-names", ImmutableMap.of(
            "mailetcontainer.xml", conf -> JamesNode.edit(conf,
                "org.splitdomain.mailets.SplitRoutingRemoteDelivery", "org.splitdomain.mailets.SplitDomainRemoteDelivery"),
            "smtpserver.xml", conf -> JamesNode.edit(conf,
                "org.splitdomain.smtp.SplitRoutingRcptHandler", "org.splitdomain.smtp.SplitDomainRcptHandler"),
            "imapserver.xml", conf -> JamesNode.edit(conf,
                "<imapPackages>org.splitdomain.imap.SplitRoutingImapPackage</imapPackages>",
                "<imapPackages>org.splitdomain.imap.SplitDomainImapPackage</imapPackages>"),
            "webadmin.properties", conf -> JamesNode.edit(conf,
                "org.splitdomain.webadmin.console.SplitRoutingConsoleRoutes", "org.splitdomain.webadmin.console.SplitDomainConsoleRoutes")));
        partner = SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(0).start();
        james.data().addDomain("example.com");
        james.data().addUser("alice@example.com", PASSWORD);
        james.data().addUser("bob@example.com", PASSWORD);
        james.putDomainRouting("example.com", "{\"relays\":[\"" + partner.relay() + "\"],\"verifyRecipients\":false}");
        james.putUserRouting("bob@example.com", "{\"thirdParty\":true}");

        SmtpSession.send(james.smtpPort(), "someone@external.org", "Subject: moved\r\n\r\nhi\r\n", "bob@example.com");
        Mailboxes.AWAIT.untilAsserted(() -> assertThat(partner.received()).hasSize(1));
        assertThat(partner.received().get(0).recipients).containsExactly("bob@example.com");
        try (SmtpSession session = SmtpSession.connect("127.0.0.1", james.smtpPort())) {
            session.mailFrom("someone@external.org");
            assertThat(session.rcptTo("nobody@example.com")).startsWith("550 5.1.1");
        }
        assertThat(imapLogin("bob@example.com")).contains(" NO ");
        assertThat(imapLogin("alice@example.com")).contains(" OK ");
        james.webAdmin().get("/split-domain-console").then().statusCode(200);

        // Once for each server that names a former class: the SMTP handler twice, for the MX and the submission port.
        assertThat(warnings.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList()))
            .containsOnly(
                "mailetcontainer.xml names org.splitdomain.mailets.SplitDomainRemoteDelivery, now "
                    + "org.splitdomain.mailets.SplitRoutingRemoteDelivery: write the new name, the former one will go",
                "smtpserver.xml names org.splitdomain.smtp.SplitDomainRcptHandler, now "
                    + "org.splitdomain.smtp.SplitRoutingRcptHandler: write the new name, the former one will go",
                "imapserver.xml names org.splitdomain.imap.SplitDomainImapPackage, now "
                    + "org.splitdomain.imap.SplitRoutingImapPackage: write the new name, the former one will go",
                "webadmin.properties names org.splitdomain.webadmin.console.SplitDomainConsoleRoutes, now "
                    + "org.splitdomain.webadmin.console.SplitRoutingConsoleRoutes: write the new name, the former one will go");
    }

    private String imapLogin(String user) throws Exception {
        AuthenticatingIMAPClient client = new AuthenticatingIMAPClient(false);
        client.setTrustManager(TestTls.trustManager());
        client.connect("127.0.0.1", james.imapPort());
        try {
            assertThat(client.execTLS()).as("STARTTLS").isTrue();
            client.login(user, PASSWORD);
            return client.getReplyString().trim();
        } finally {
            client.disconnect();
        }
    }
}
