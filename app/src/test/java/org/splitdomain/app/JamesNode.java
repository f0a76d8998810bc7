package org.splitdomain.app;

import static io.restassured.RestAssured.given;

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
    public static final Path JAMES_CONF = SplitDomainDemo.jamesConf();

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
     * Starts James from james-conf with edited files and {@code overrides} in James's own injector:
     * what a flavour's own modules would bind, such as the Cassandra session of the distributed flavour.
     */
    public static JamesNode start(String name, Map<String, UnaryOperator<String>> edits, Module... overrides) throws Exception {
        Path work = Files.createTempDirectory("james-" + name + "-");
        // Relays are IP literals in tests; a loopback resolver keeps James away from the machine's DNS.
        ConfigurationDirectory.prepareOnLoopback(JAMES_CONF, work, ServerPorts.allEphemeral());
        for (Map.Entry<String, UnaryOperator<String>> edit : edits.entrySet()) {
            Path file = work.resolve("conf").resolve(edit.getKey());
            // A file james-conf does not ship (james-database.properties, say) is edited from empty.
            String content = Files.exists(file) ? Files.readString(file) : "";
            Files.writeString(file, edit.getValue().apply(content));
        }
        return restart(name, work, overrides);
    }

    /** Starts James again on the working directory of a node that was stopped. */
    public static JamesNode restart(String name, Path work, Module... overrides) throws Exception {
        return new JamesNode(name, work, SplitDomainJamesServer.startPrepared(work, overrides));
    }

    private final String name;
    private final Path work;
    private final GuiceJamesServer server;

    private JamesNode(String name, Path work, GuiceJamesServer server) {
        this.name = name;
        this.work = work;
        this.server = server;
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
        return server.getProbe(ImapGuiceProbe.class).getImapPort();
    }

    /** The POP3 port, when the test enabled POP3 (off in james-conf). */
    public int pop3Port() {
        return server.getProbe(Pop3GuiceProbe.class).getPop3Port();
    }

    public String relayAddress() {
        return "127.0.0.1:" + smtpPort();
    }

    public RequestSpecification webAdmin() {
        return given().spec(new RequestSpecBuilder()
            .setContentType(ContentType.JSON)
            .setAccept(ContentType.JSON)
            .setBaseUri("http://127.0.0.1")
            .setPort(server.getProbe(WebAdminGuiceProbe.class).getWebAdminPort().getValue())
            .build());
    }

    public void putDomainRouting(String domain, String json) {
        webAdmin().body(json).put("/domains/" + domain + "/split-routing").then().statusCode(204);
    }

    public void putUserRouting(String username, String json) {
        webAdmin().body(json).put("/users/" + username + "/split-routing").then().statusCode(204);
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
