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

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.apache.james.GuiceJamesServer;
import org.apache.james.modules.protocols.ImapGuiceProbe;
import org.apache.james.modules.protocols.Pop3GuiceProbe;
import org.apache.james.modules.protocols.SmtpGuiceProbe;
import org.apache.james.utils.DataProbeImpl;
import org.apache.james.utils.WebAdminGuiceProbe;

import com.google.common.collect.ImmutableMap;
import com.google.inject.Module;

import io.restassured.builder.RequestSpecBuilder;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * One in-process James booted from the repository's {@code james-conf/}, as an operator would run it,
 * with ephemeral ports on loopback and a resolver that never leaves the machine.
 */
public final class JamesNode implements AutoCloseable {
    public static final Path JAMES_CONF = SplitRoutingDemo.jamesConf();
    private static final Object BOOTING = new Object();

    public static JamesNode start(String name) throws Exception {
        return start(name, conf -> conf);
    }

    /** Starts James from james-conf, with mailetcontainer.xml passed through {@code mailetContainerEdit}. */
    public static JamesNode start(String name, UnaryOperator<String> mailetContainerEdit) throws Exception {
        return start(name, ImmutableMap.of("mailetcontainer.xml", mailetContainerEdit));
    }

    /** Starts James from james-conf, with the named configuration files passed through their edit. */
    public static JamesNode start(String name, Map<String, UnaryOperator<String>> edits) throws Exception {
        return start(name, edits, new Module[0]);
    }

    /**
     * Starts James from james-conf with its protocol servers on another loopback address (127.0.0.2, say),
     * and its connections to relays leaving from that address: a partner system that is not at 127.0.0.1.
     */
    public static JamesNode startOn(String name, String address, UnaryOperator<String> mailetContainerEdit) throws Exception {
        UnaryOperator<String> onAddress = conf -> edit(conf, "<bind>127.0.0.1:", "<bind>" + address + ":");
        Path work = prepare(name, ImmutableMap.of(
            "smtpserver.xml", onAddress,
            "imapserver.xml", onAddress,
            "mailetcontainer.xml", conf -> edit(mailetContainerEdit.apply(conf),
                "<maxRetries>5</maxRetries>", "<maxRetries>5</maxRetries>\n                <bindAddress>" + address + "</bindAddress>")));
        return new JamesNode(name, address, work, boot(work));
    }

    /**
     * Starts James from james-conf with edited files and {@code overrides} in James's own injector:
     * what a flavour's own modules would bind, such as the Cassandra session of the distributed flavour.
     */
    public static JamesNode start(String name, Map<String, UnaryOperator<String>> edits, Module... overrides) throws Exception {
        return restart(name, prepare(name, edits), overrides);
    }

    private static Path prepare(String name, Map<String, UnaryOperator<String>> edits) throws Exception {
        Path work = Files.createTempDirectory("james-" + name + "-");
        // Relays are IP literals in tests; a loopback resolver keeps James away from the machine's DNS.
        ConfigurationDirectory.prepareOnLoopback(JAMES_CONF, work, ServerPorts.allEphemeral());
        for (Map.Entry<String, UnaryOperator<String>> edit : edits.entrySet()) {
            Path file = work.resolve("conf").resolve(edit.getKey());
            // A file james-conf does not ship (james-database.properties, say) is edited from empty.
            String content = Files.exists(file) ? Files.readString(file) : "";
            Files.writeString(file, edit.getValue().apply(content));
        }
        return work;
    }

    /**
     * {@code content} with each {@code from} replaced by the {@code to} after it; fails when a {@code from}
     * is not there, so that a test never runs on a configuration it only believes it changed.
     */
    public static String edit(String content, String... fromThenTo) {
        if (fromThenTo.length % 2 != 0) {
            throw new IllegalArgumentException("edit takes pairs of (from, to)");
        }
        String edited = content;
        for (int i = 0; i < fromThenTo.length; i += 2) {
            if (!edited.contains(fromThenTo[i])) {
                throw new IllegalStateException("The configuration has no '" + fromThenTo[i] + "' to replace");
            }
            edited = edited.replace(fromThenTo[i], fromThenTo[i + 1]);
        }
        return edited;
    }

    /** Starts James again on the working directory of a node that was stopped. */
    public static JamesNode restart(String name, Path work, Module... overrides) throws Exception {
        return new JamesNode(name, "127.0.0.1", work, boot(work, overrides));
    }

    /**
     * Test classes run two at a time, but James boots one at a time in this JVM. James 3.8.1's IMAP module registers
     * each booting server's ENABLE-able processors in a static, unsynchronised ArrayList of EnableProcessor (through
     * IMAPServerModule.provideClassImapProcessors): two servers booting at once made CI fail with
     * ArrayIndexOutOfBoundsException there. A production JVM holds a single James, so only the tests need this.
     */
    private static GuiceJamesServer boot(Path work, Module... overrides) throws Exception {
        synchronized (BOOTING) {
            return SplitRoutingJamesServer.startPrepared(work, overrides);
        }
    }

    private final String name;
    private final String address;
    private final Path work;
    private final GuiceJamesServer server;

    private JamesNode(String name, String address, Path work, GuiceJamesServer server) {
        this.name = name;
        this.address = address;
        this.work = work;
        this.server = server;
    }

    /** The loopback address its SMTP and IMAP servers listen on. */
    public String address() {
        return address;
    }

    public Path workingDirectory() {
        return work;
    }

    public String name() {
        return name;
    }

    public GuiceJamesServer server() {
        return server;
    }

    public DataProbeImpl data() {
        return server.getProbe(DataProbeImpl.class);
    }

    /** The MX port (25 in james-conf): no authentication, no relaying. */
    public int smtpPort() {
        return server.getProbe(SmtpGuiceProbe.class).getSmtpPort().getValue();
    }

    /** The submission port (587 in james-conf): authentication required to relay. */
    public int submissionPort() {
        return server.getProbe(SmtpGuiceProbe.class).getSmtpAuthRequiredPort().getValue();
    }

    public int imapPort() {
        return SplitRoutingJamesServer.imapPort(server);
    }

    /** The POP3 port, when the test enabled POP3 (off in james-conf). */
    public int pop3Port() {
        return server.getProbe(Pop3GuiceProbe.class).getPop3Port();
    }

    public String relayAddress() {
        return address + ":" + smtpPort();
    }

    /** WebAdmin as its administrator calls it: with the token the launcher made for this working directory, when JWT is on. */
    public RequestSpecification webAdmin() {
        RequestSpecification webAdmin = anonymousWebAdmin();
        return WebAdminAccess.token(work).map(token -> webAdmin.header("Authorization", "Bearer " + token)).orElse(webAdmin);
    }

    /** WebAdmin without any credentials: what a stranger, or a web page in a browser, gets. */
    public RequestSpecification anonymousWebAdmin() {
        return given().spec(new RequestSpecBuilder()
            .setContentType(ContentType.JSON)
            .setAccept(ContentType.JSON)
            .setBaseUri("http://127.0.0.1")
            .setPort(webAdminPort())
            .build());
    }

    public int webAdminPort() {
        return server.getProbe(WebAdminGuiceProbe.class).getWebAdminPort().getValue();
    }

    /** Stores the settings: {@code 204}, or {@code 200} with the warnings of settings stored that will not work as one may expect. */
    public void putDomainRouting(String domain, String json) {
        webAdmin().body(json).put("/domains/" + domain + "/split-routing").then().statusCode(org.hamcrest.Matchers.oneOf(200, 204));
    }

    public void putUserRouting(String username, String json) {
        webAdmin().body(json).put("/users/" + username + "/split-routing").then().statusCode(org.hamcrest.Matchers.oneOf(200, 204));
    }

    /**
     * Waits until these James servers have no mail left to handle: their spools are empty (mail being
     * processed counts) and nothing waits for a relay, all at once. A mail on its way from one to the
     * other is still in the sender's relay queue. From then on no mail, DSN included, can still arrive.
     */
    public static void awaitIdle(JamesNode... nodes) {
        Mailboxes.AWAIT.untilAsserted(() -> {
            for (JamesNode node : nodes) {
                assertThat(node.spoolSize()).as("spool of %s", node.name()).isZero();
                assertThat(node.webAdmin().get("/split-routing/queue").then().statusCode(200).extract().jsonPath().getInt("mails"))
                    .as("relay queue of %s", node.name()).isZero();
            }
            for (JamesNode node : nodes) {
                assertThat(node.spoolSize()).as("spool of %s", node.name()).isZero();
            }
        });
    }

    public void awaitIdle() {
        awaitIdle(this);
    }

    private long spoolSize() {
        return webAdmin().get("/mailQueues/spool").then().statusCode(200).extract().jsonPath().getLong("size");
    }

    /** The mails waiting in the relay queue, as {@code GET /split-routing/queue/mails} lists them. */
    public JsonPath waitingMails() {
        return JsonPath.from(webAdmin().get("/split-routing/queue/mails").then().statusCode(200).extract().asString());
    }

    /** What an administrator reads to learn where mail for this address goes (README, "Why did a mail go there?"). */
    public JsonPath explainRoute(String address) {
        return webAdmin().get("/split-routing/route?address=" + address).then().statusCode(200).extract().jsonPath();
    }

    @Override
    public void close() {
        server.stop();
    }
}
