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
package org.splitdomain.webadmin;

import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.domainlist.memory.MemoryDomainList;
import org.apache.james.rrt.memory.MemoryRecipientRewriteTable;
import org.apache.james.user.memory.MemoryUsersRepository;
import org.apache.james.webadmin.WebAdminServer;
import org.apache.james.webadmin.WebAdminUtils;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.james.dnsservice.api.InMemoryDNSService;
import org.apache.james.protocols.lib.netty.AbstractConfigurableAsyncServer;
import org.apache.james.smtpserver.netty.SMTPServerFactory;
import org.eclipse.jetty.http.HttpStatus;
import org.splitdomain.route.JamesData;
import org.apache.commons.configuration2.PropertiesConfiguration;
import org.apache.james.metrics.api.NoopGaugeRegistry;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.splitdomain.mailets.relay.SmtpReply;
import org.splitdomain.mailets.verify.RecipientVerificationConfiguration;
import org.splitdomain.mailets.verify.RecipientVerifier;
import org.splitdomain.route.RouteResolver;
import com.github.benmanes.caffeine.cache.Ticker;
import org.splitdomain.route.UserAddresses;
import org.splitdomain.settings.MemorySplitRoutingStore;
import org.splitdomain.settings.history.MemorySettingsHistory;
import org.splitdomain.settings.RelayCredentials;
import org.splitdomain.route.JamesDirectory;
import org.splitdomain.settings.UserRoutingRenamer;
import org.splitdomain.settings.service.OwnSmtpEndpoints;
import org.splitdomain.settings.service.SettingsAudit;
import org.splitdomain.settings.service.SettingsService;
import org.splitdomain.settings.service.SettingsWarnings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The James memory backends the split-routing routes run on, wired as in a memory James server,
 * with every split-routing route mounted on one WebAdmin server.
 *
 * <p>Managed domains: {@code example.com}, {@code other.com}. {@code unmanaged.com} is not managed.</p>
 */
final class SplitRoutingTestSystem implements AutoCloseable {
    static final Domain EXAMPLE_COM = Domain.of("example.com");
    static final Domain OTHER_COM = Domain.of("other.com");
    static final Domain UNMANAGED_COM = Domain.of("unmanaged.com");
    static final Username BOB = Username.of("bob@example.com");
    static final Username ALICE = Username.of("alice@example.com");

    private static final ObjectMapper OBJECT_MAPPER = new ObjectMapper();

    final MemoryDomainList domainList;
    final MemoryUsersRepository usersRepository;
    final MemoryRecipientRewriteTable recipientRewriteTable;
    final MemorySplitRoutingStore store;
    final MemorySettingsHistory history = new MemorySettingsHistory();
    final UserAddresses userAddresses;
    final RouteResolver routeResolver;
    final WebAdminServer webAdminServer;
    final SMTPServerFactory smtpServerFactory;
    final OwnSmtpEndpoints ownSmtpEndpoints;
    final RelayCredentials credentials;
    final RecipientVerifier verifier;
    /** The one credential of the relay credentials file; its secret must never appear in an answer. */
    static final String CREDENTIAL = "partner-cloud";
    static final String CREDENTIAL_SECRET = "the-secret-of-partner-cloud";

    /** A host name of this machine, for relays that point back at the server itself. */
    static final String OWN_HOST = "own.example.net";
    /** Imports of more changes than this are recorded as one entry: small, so that a test can go past it. */
    static final int DETAILED_IMPORT_LIMIT = 3;

    /** Makes the SMTP server of this system listen on {@code port}. */
    void smtpListensOn(int port) {
        AbstractConfigurableAsyncServer server = mock(AbstractConfigurableAsyncServer.class);
        when(server.getListenAddresses()).thenReturn(List.of(new InetSocketAddress("0.0.0.0", port)));
        when(smtpServerFactory.getServers()).thenReturn(List.of(server));
    }

    SplitRoutingTestSystem() throws Exception {
        JamesData james = new JamesData()
            .domain(EXAMPLE_COM.asString())
            .domain(OTHER_COM.asString())
            .user(BOB.asString())
            .user(ALICE.asString());
        domainList = james.domainList;
        usersRepository = james.usersRepository;
        recipientRewriteTable = james.recipientRewriteTable;
        store = james.store;
        routeResolver = james.routeResolver;
        userAddresses = new UserAddresses(usersRepository, recipientRewriteTable);

        smtpServerFactory = mock(SMTPServerFactory.class);
        when(smtpServerFactory.getServers()).thenReturn(List.of());
        ownSmtpEndpoints = new OwnSmtpEndpoints(smtpServerFactory, new InMemoryDNSService()
            .registerRecord(OWN_HOST, InetAddress.getLoopbackAddress(), OWN_HOST), Set.of());

        Path credentialsFile = Files.createTempDirectory("split-relay-credentials").resolve("split-relay-credentials.properties");
        Files.writeString(credentialsFile, CREDENTIAL + ".username=relay@example.com\n" + CREDENTIAL + ".password=" + CREDENTIAL_SECRET + "\n");
        credentials = new RelayCredentials(Optional.of(credentialsFile.toFile()));

        // The relay of these tests knows bob only; the real SMTP exchange is tested in RecipientVerifierTest.
        verifier = new RecipientVerifier((relay, recipient, timeout) -> recipient.asString().equals(BOB.asString())
                ? SmtpReply.of(250, "250 2.1.5 Ok")
                : SmtpReply.of(550, "550 5.1.1 <" + recipient.asString() + ">: Recipient address rejected"),
            RecipientVerificationConfiguration.from(new PropertiesConfiguration()), new RecordingMetricFactory(), new NoopGaugeRegistry(),
            Clock.systemUTC(), Ticker.systemTicker());

        SettingsWarnings settingsWarnings = new SettingsWarnings(ownSmtpEndpoints, userAddresses, routeResolver, store);
        SettingsAudit audit = new SettingsAudit(store, history, java.time.Clock.systemUTC(), DETAILED_IMPORT_LIMIT);
        SettingsService settings = new SettingsService(store, new JamesDirectory(domainList, usersRepository), userAddresses, credentials,
            settingsWarnings, audit, new UserRoutingRenamer(store, usersRepository));
        JsonTransformer jsonTransformer = new JsonTransformer();
        webAdminServer = WebAdminUtils.createWebAdminServer(
                new DomainSplitRoutingRoutes(settings, jsonTransformer),
                new UserSplitRoutingRoutes(settings, jsonTransformer),
                new SplitRoutingRoutes(settings, routeResolver, settingsWarnings, verifier, jsonTransformer),
                new SplitRoutingTransferRoutes(settings, jsonTransformer),
                new SplitRoutingHistoryRoutes(history, jsonTransformer))
            .start();
    }

    RequestSpecification requestSpecification() {
        return WebAdminUtils.buildRequestSpecification(webAdminServer).build();
    }

    @Override
    public void close() {
        webAdminServer.destroy();
    }

    /** The body of a successful JSON GET. */
    static String getBody(String path) {
        return when()
            .get(path)
        .then()
            .statusCode(HttpStatus.OK_200)
            .contentType(ContentType.JSON)
            .extract()
            .body()
            .asString();
    }

    /** Semantic JSON equality: object members in any order, array elements in order. */
    /** The messages {@code source} logs while {@code action} runs. */
    static List<String> logsOf(Class<?> source, Runnable action) {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(source);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs = new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try {
            action.run();
        } finally {
            logger.detachAppender(logs);
        }
        return logs.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).collect(java.util.stream.Collectors.toList());
    }

    static void assertJsonEquals(String actual, String expected) {
        try {
            assertThat(OBJECT_MAPPER.readTree(actual))
                .as("JSON %s", actual)
                .isEqualTo(OBJECT_MAPPER.readTree(expected));
        } catch (JsonProcessingException e) {
            throw new AssertionError("Not JSON: " + actual, e);
        }
    }
}
