package org.splitdomain.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.apache.james.GuiceJamesServer;
import org.apache.james.modules.protocols.ImapGuiceProbe;
import org.apache.james.modules.protocols.SmtpGuiceProbe;
import org.apache.james.utils.WebAdminGuiceProbe;

/**
 * Starts a master and a slave James for example.com, in process, wired to each other on loopback,
 * provisions them through WebAdmin and prints how to try them with swaks and curl.
 *
 * <ul>
 *     <li>master: knows alice (hosted here) and bob (third-party: hosted on the slave);
 *     example.com relays to the slave, unknown addresses are refused.</li>
 *     <li>slave: hosts bob only; example.com relays to the master, unknown addresses are forwarded.</li>
 * </ul>
 */
public final class SplitDomainDemo implements AutoCloseable {
    public static final String DOMAIN = "example.com";
    public static final String PASSWORD = "secret";
    public static final ServerPorts MASTER_PORTS = ServerPorts.parse("smtp=2525,submission=2587,imap=1143,pop3=1110,webadmin=8001");
    public static final ServerPorts SLAVE_PORTS = ServerPorts.parse("smtp=2526,submission=2588,imap=1144,pop3=1111,webadmin=8002");

    public static SplitDomainDemo start(Path jamesConf, Path workRoot, ServerPorts masterPorts, ServerPorts slavePorts) throws Exception {
        GuiceJamesServer master = startNode(jamesConf, workRoot.resolve("master"), masterPorts);
        GuiceJamesServer slave = null;
        try {
            slave = startNode(jamesConf, workRoot.resolve("slave"), slavePorts);
            SplitDomainDemo demo = new SplitDomainDemo(jamesConf, workRoot, master, slave);
            demo.provision();
            return demo;
        } catch (Exception e) {
            master.stop();
            if (slave != null) {
                slave.stop();
            }
            throw e;
        }
    }

    private static GuiceJamesServer startNode(Path jamesConf, Path work, ServerPorts ports) throws Exception {
        return SplitDomainJamesServer.startPrepared(ConfigurationDirectory.prepareOnLoopback(jamesConf, work, ports));
    }

    private final Path jamesConf;
    private final Path workRoot;
    private final GuiceJamesServer master;
    private final GuiceJamesServer slave;

    private SplitDomainDemo(Path jamesConf, Path workRoot, GuiceJamesServer master, GuiceJamesServer slave) {
        this.jamesConf = jamesConf;
        this.workRoot = workRoot;
        this.master = master;
        this.slave = slave;
    }

    public GuiceJamesServer master() {
        return master;
    }

    public GuiceJamesServer slave() {
        return slave;
    }

    private void provision() throws Exception {
        WebAdminClient masterAdmin = new WebAdminClient(webAdminPort(master), WebAdminAccess.token(workRoot.resolve("master")).orElseThrow());
        WebAdminClient slaveAdmin = new WebAdminClient(webAdminPort(slave), WebAdminAccess.token(workRoot.resolve("slave")).orElseThrow());

        masterAdmin.put("/domains/" + DOMAIN, "");
        masterAdmin.put("/users/alice@" + DOMAIN, "{\"password\":\"" + PASSWORD + "\"}");
        masterAdmin.put("/users/bob@" + DOMAIN, "{\"password\":\"" + PASSWORD + "\"}");
        masterAdmin.put("/domains/" + DOMAIN + "/split-routing",
            "{\"relays\":[\"127.0.0.1:" + smtpPort(slave) + "\"],\"forwardUnknown\":false}");
        masterAdmin.put("/users/bob@" + DOMAIN + "/split-routing", "{\"thirdParty\":true}");

        slaveAdmin.put("/domains/" + DOMAIN, "");
        slaveAdmin.put("/users/bob@" + DOMAIN, "{\"password\":\"" + PASSWORD + "\"}");
        slaveAdmin.put("/domains/" + DOMAIN + "/split-routing",
            "{\"relays\":[\"127.0.0.1:" + smtpPort(master) + "\"],\"forwardUnknown\":true}");
    }

    public String instructions() {
        return String.join("\n",
            "",
            "Split-domain demo is running (" + DOMAIN + ", password '" + PASSWORD + "' for every user).",
            "  master  knows everyone, MX   SMTP 127.0.0.1:" + smtpPort(master) + "  submission " + submissionPort(master)
                + "  IMAP " + imapPort(master) + "  WebAdmin http://127.0.0.1:" + webAdminPort(master),
            "          alice@" + DOMAIN + " hosted here; bob@" + DOMAIN + " third-party (hosted on the slave)",
            "  slave   hosts bob only       SMTP 127.0.0.1:" + smtpPort(slave) + "  submission " + submissionPort(slave)
                + "  IMAP " + imapPort(slave) + "  WebAdmin http://127.0.0.1:" + webAdminPort(slave),
            "          forwards unknown addresses of " + DOMAIN + " to the master",
            "",
            "Try it:",
            "  swaks --server 127.0.0.1:" + smtpPort(master) + " --from someone@external.org --to bob@" + DOMAIN
                + "     # master relays to the slave",
            "  swaks --server 127.0.0.1:" + smtpPort(slave) + " --from someone@external.org --to alice@" + DOMAIN
                + "   # slave relays to the master",
            "  swaks --server 127.0.0.1:" + smtpPort(master) + " --from someone@external.org --to nobody@" + DOMAIN
                + "  # refused: 550 5.1.1",
            "  curl -H \"Authorization: Bearer $(cat " + tokenFile("master") + ")\" 'http://127.0.0.1:" + webAdminPort(master)
                + "/split-routing/route?address=bob@" + DOMAIN + "'   # why mail for bob goes where it goes",
            "  curl -H \"Authorization: Bearer $(cat " + tokenFile("slave") + ")\" http://127.0.0.1:" + webAdminPort(slave)
                + "/split-routing/domains",
            "  Read bob's mail over IMAP at 127.0.0.1:" + imapPort(slave) + ", alice's at 127.0.0.1:" + imapPort(master) + ".",
            "",
            "Ctrl-C stops both servers.");
    }

    // As the operator types it from the repository root (where the README starts the demo), when it is below.
    private String tokenFile(String node) {
        Path token = workRoot.resolve(node).resolve(WebAdminAccess.TOKEN_FILE).toAbsolutePath();
        Path repository = jamesConf.toAbsolutePath().getParent();
        return token.startsWith(repository) ? repository.relativize(token).toString() : token.toString();
    }

    private static int smtpPort(GuiceJamesServer server) {
        return server.getProbe(SmtpGuiceProbe.class).getSmtpPort().getValue();
    }

    private static int submissionPort(GuiceJamesServer server) {
        return server.getProbe(SmtpGuiceProbe.class).getSmtpAuthRequiredPort().getValue();
    }

    private static int imapPort(GuiceJamesServer server) {
        return SplitDomainJamesServer.imapPort(server);
    }

    private static int webAdminPort(GuiceJamesServer server) {
        return server.getProbe(WebAdminGuiceProbe.class).getWebAdminPort().getValue();
    }

    @Override
    public void close() {
        slave.stop();
        master.stop();
    }

    /** Locates james-conf/ whether started from the repository root or from app/. */
    public static Path jamesConf() {
        for (Path candidate : new Path[] {Paths.get("james-conf"), Paths.get("..", "james-conf")}) {
            if (Files.isRegularFile(candidate.resolve("mailetcontainer.xml"))) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("Cannot find james-conf/: start the demo from the repository root");
    }

    public static void main(String[] args) throws Exception {
        Path jamesConf = jamesConf();
        Path workRoot = jamesConf.getParent().resolve("run").resolve("demo");
        // Both servers share this JVM, hence one logging set-up: james-conf's.
        ConfigurationDirectory.prepareOnLoopback(jamesConf, workRoot.resolve("master"), MASTER_PORTS);
        LauncherLogging.configureFrom(workRoot.resolve("master"));
        SplitDomainDemo demo = start(jamesConf, workRoot, MASTER_PORTS, SLAVE_PORTS);
        Runtime.getRuntime().addShutdownHook(new Thread(demo::close));
        System.out.println(demo.instructions());
        Thread.currentThread().join();
    }
}
