package org.splitdomain.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.common.collect.ImmutableMap;
import org.splitdomain.testing.SmtpSink;

/**
 * The README's install steps on the configuration of each official image (app/src/test/resources/official-images/),
 * with the snippets read from the README: James of that flavour, stock, with our jar in extensions-jars/, delivers
 * local mail read over IMAP, relays a third-party user's mail to the partner, refuses an unknown address at RCPT, and
 * passes the README's checks run as written; the JPA server keeps all of it across a restart.
 */
class InstallStepsTest {
    private static final String PARTNER_ADDRESS = "127.0.0.2";
    private static final Path IMAGES = Paths.get(System.getProperty("official-images"));

    @TempDir
    Path configuration;
    private JamesProcess james;
    private SmtpSink partner;

    @AfterEach
    void tearDown() throws Exception {
        if (james != null) {
            james.close();
        }
        if (partner != null) {
            partner.close();
        }
    }

    @Test
    void theMemoryImageShouldRouteMailOnceTheStepsAreFollowed() throws Exception {
        james = install("memory", Flavour.MEMORY).startStock();

        provisionAndRoute();
    }

    @Test
    void theJpaImageShouldRouteMailOnceTheStepsAreFollowedAndKeepEverythingAcrossARestart() throws Exception {
        james = install("jpa", Flavour.JPA).startStockJpa();
        provisionAndRoute();
        String settings = export();

        james.close();
        james.startStockJpa();

        assertThat(export()).isEqualTo(settings);
        assertThat(Mailboxes.awaitMessages(james.address(), james.imapPort(), "alice@example.com", 1)).contains("Subject: for alice");
        SmtpSession.send(james.smtpPort(), "someone@external.org", "Subject: after the restart\r\n\r\nhi bob\r\n", "bob@example.com");
        Mailboxes.AWAIT.untilAsserted(() -> assertThat(partner.received()).anySatisfy(mail ->
            assertThat(mail.content).contains("Subject: after the restart")));
    }

    /** The image's files over james-conf's others, the README's steps applied to them, and its command for the loop secret run as written. */
    private JamesProcess install(String image, Flavour flavour) throws Exception {
        copyFiles(JamesNode.JAMES_CONF, configuration);
        copyFiles(IMAGES.resolve(image), configuration);
        Map<String, java.util.function.UnaryOperator<String>> harness = flavour == Flavour.MEMORY
            // The image turns JMAP on, on port 80: a free port here, as for every other server.
            ? ImmutableMap.of("jmap.properties", conf -> conf + "jmap.port=" + freePort() + "\n")
            : ImmutableMap.of();
        JamesProcess process = JamesProcess.prepare("install-" + image, configuration, flavour, "127.0.0.1", harness);
        Path conf = process.workingDirectory().resolve("conf");
        new ReadmeInstallSteps().applyTo(conf, image);
        run(process.workingDirectory(), new ReadmeInstallSteps().snippet("loop secret"), ImmutableMap.of());
        assertThat(Files.readString(conf.resolve("split-domain-loop.secret")).trim()).hasSizeGreaterThanOrEqualTo(16);
        return process;
    }

    private void provisionAndRoute() throws Exception {
        ReadmeInstallSteps steps = new ReadmeInstallSteps();
        run(james.workingDirectory(), steps.snippet("provision"), environment());
        james.webAdmin().head("/users/alice@example.com").then().statusCode(200);

        partner = SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(SmtpSink.freePort(PARTNER_ADDRESS)).start();
        james.webAdmin().body("{\"relays\":[\"" + partner.relay() + "\"],\"forwardUnknown\":false,\"verifyRecipients\":true}")
            .put("/domains/example.com/split-routing").then().statusCode(204);
        james.webAdmin().body("{\"thirdParty\":true}").put("/users/bob@example.com/split-routing").then().statusCode(204);

        // local mail, through an alias, read over IMAP
        SmtpSession.send(james.smtpPort(), "someone@external.org", "Subject: for alice\r\n\r\nhi alice\r\n", "alice.smith@example.com");
        assertThat(Mailboxes.awaitMessages(james.address(), james.imapPort(), "alice@example.com", 1)).contains("Subject: for alice");
        // a third-party user, directly and through a group
        SmtpSession.send(james.smtpPort(), "someone@external.org", "Subject: for bob\r\n\r\nhi bob\r\n", "bob@example.com");
        SmtpSession.send(james.smtpPort(), "someone@external.org", "Subject: for the team\r\n\r\nhi team\r\n", "team@example.com");
        Mailboxes.AWAIT.untilAsserted(() -> assertThat(partner.received()).hasSize(2).allSatisfy(mail ->
            assertThat(mail.recipients).containsExactly("bob@example.com")));
        // an address nobody has
        try (SmtpSession session = SmtpSession.connect(james.smtpPort())) {
            assertThat(session.mailFrom("someone@external.org")).startsWith("250");
            assertThat(session.rcptTo("nobody@example.com")).startsWith("550 5.1.1");
        }
        // no password taken in clear on the MX, even a right one
        try (SmtpSession session = SmtpSession.connect(james.smtpPort())) {
            assertThat(session.tryAuthenticateInClear("alice@example.com", "secret")).isEqualTo("504 Unrecognized Authentication Type");
        }

        String checks = run(james.workingDirectory(), steps.snippet("check"), environment());
        assertThat(checks).contains("\"status\":\"healthy\"").doesNotContain("\"degraded\"").doesNotContain("\"unhealthy\"")
            .contains("\"rule\":\"third-party\"");
        Mailboxes.AWAIT.untilAsserted(() -> assertThat(partner.received()).anySatisfy(mail ->
            assertThat(mail.content).contains("split-domain install check")));
    }

    private Map<String, String> environment() {
        return ImmutableMap.of(
            "WEBADMIN", james.webAdminUrl(),
            "TOKEN", WebAdminAccess.token(james.workingDirectory()).orElse("none"),
            "MX", "127.0.0.1:" + james.smtpPort());
    }

    private String export() {
        return james.webAdmin().get("/split-routing/export").then().statusCode(200).extract().asString();
    }

    /** Runs a README block with bash in {@code directory}, as written, with the variables the README says to set. */
    private static String run(Path directory, String block, Map<String, String> variables) throws Exception {
        ProcessBuilder bash = new ProcessBuilder("bash", "-c", "set -e\n" + block).directory(directory.toFile()).redirectErrorStream(true);
        bash.environment().putAll(variables);
        Process process = bash.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", block).isTrue();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.exitValue()).as("exit code of\n%s\noutput:\n%s", block, output).isZero();
        return output;
    }

    private static void copyFiles(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static int freePort() {
        try {
            return SmtpSink.freePort();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
