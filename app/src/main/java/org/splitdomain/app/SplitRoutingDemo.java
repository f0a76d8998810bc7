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

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Starts a master and a slave James for example.com, each our launcher in a JVM of its own ({@link DemoNode}),
 * wired to each other on loopback, provisions them through WebAdmin and prints how to try them with swaks and curl.
 * Each writes {@code <work>/james.log} with its name in every line.
 *
 * <ul>
 *     <li>master: knows alice (hosted here) and bob (third-party: hosted on the slave);
 *     example.com relays to the slave, unknown addresses are refused.</li>
 *     <li>slave: hosts bob only; example.com relays to the master, unknown addresses are forwarded.</li>
 * </ul>
 */
public final class SplitRoutingDemo implements AutoCloseable {
    public static final String DOMAIN = "example.com";
    public static final String PASSWORD = "secret";
    public static final ServerPorts MASTER_PORTS = ServerPorts.parse("smtp=2525,submission=2587,imap=1143,pop3=1110,webadmin=8001");
    public static final ServerPorts SLAVE_PORTS = ServerPorts.parse("smtp=2526,submission=2588,imap=1144,pop3=1111,webadmin=8002");

    public static SplitRoutingDemo start(Path jamesConf, Path workRoot, ServerPorts masterPorts, ServerPorts slavePorts) throws Exception {
        // Both at once: each is a JVM of its own.
        DemoNode master = DemoNode.launch("master", jamesConf, workRoot.resolve("master"), masterPorts);
        DemoNode slave = DemoNode.launch("slave", jamesConf, workRoot.resolve("slave"), slavePorts);
        try {
            SplitRoutingDemo demo = new SplitRoutingDemo(jamesConf, master.awaitRunning(), slave.awaitRunning());
            demo.provision();
            return demo;
        } catch (Exception e) {
            master.close();
            slave.close();
            throw e;
        }
    }

    private final Path jamesConf;
    private final DemoNode master;
    private final DemoNode slave;

    private SplitRoutingDemo(Path jamesConf, DemoNode master, DemoNode slave) {
        this.jamesConf = jamesConf;
        this.master = master;
        this.slave = slave;
    }

    public DemoNode master() {
        return master;
    }

    public DemoNode slave() {
        return slave;
    }

    private void provision() throws Exception {
        WebAdminClient masterAdmin = new WebAdminClient(master.webAdminPort(), master.token());
        WebAdminClient slaveAdmin = new WebAdminClient(slave.webAdminPort(), slave.token());

        masterAdmin.put("/domains/" + DOMAIN, "");
        masterAdmin.put("/users/alice@" + DOMAIN, "{\"password\":\"" + PASSWORD + "\"}");
        masterAdmin.put("/users/bob@" + DOMAIN, "{\"password\":\"" + PASSWORD + "\"}");
        masterAdmin.put("/domains/" + DOMAIN + "/split-routing",
            "{\"relays\":[\"127.0.0.1:" + slave.smtpPort() + "\"],\"forwardUnknown\":false}");
        masterAdmin.put("/users/bob@" + DOMAIN + "/split-routing", "{\"thirdParty\":true}");

        slaveAdmin.put("/domains/" + DOMAIN, "");
        slaveAdmin.put("/users/bob@" + DOMAIN, "{\"password\":\"" + PASSWORD + "\"}");
        slaveAdmin.put("/domains/" + DOMAIN + "/split-routing",
            "{\"relays\":[\"127.0.0.1:" + master.smtpPort() + "\"],\"forwardUnknown\":true}");
    }

    public String instructions() {
        return String.join("\n",
            "",
            "Split-domain demo is running (" + DOMAIN + ", password '" + PASSWORD + "' for every user).",
            "  master  knows everyone, MX   SMTP 127.0.0.1:" + master.smtpPort() + "  submission " + master.submissionPort()
                + "  IMAP " + master.imapPort() + "  WebAdmin http://127.0.0.1:" + master.webAdminPort(),
            "          alice@" + DOMAIN + " hosted here; bob@" + DOMAIN + " third-party (hosted on the slave)",
            "  slave   hosts bob only       SMTP 127.0.0.1:" + slave.smtpPort() + "  submission " + slave.submissionPort()
                + "  IMAP " + slave.imapPort() + "  WebAdmin http://127.0.0.1:" + slave.webAdminPort(),
            "          forwards unknown addresses of " + DOMAIN + " to the master",
            "",
            "Try it:",
            "  swaks --server 127.0.0.1:" + master.smtpPort() + " --from someone@external.org --to bob@" + DOMAIN
                + "     # master relays to the slave",
            "  swaks --server 127.0.0.1:" + slave.smtpPort() + " --from someone@external.org --to alice@" + DOMAIN
                + "   # slave relays to the master",
            "  swaks --server 127.0.0.1:" + master.smtpPort() + " --from someone@external.org --to nobody@" + DOMAIN
                + "  # refused: 550 5.1.1",
            "  curl -H \"Authorization: Bearer $(cat " + tokenFile("master") + ")\" 'http://127.0.0.1:" + master.webAdminPort()
                + "/split-routing/route?address=bob@" + DOMAIN + "'   # why mail for bob goes where it goes",
            "  curl -H \"Authorization: Bearer $(cat " + tokenFile("slave") + ")\" http://127.0.0.1:" + slave.webAdminPort()
                + "/split-routing/domains",
            "  curl -sk --ssl-reqd -u bob@" + DOMAIN + ":" + PASSWORD + " 'imap://127.0.0.1:" + slave.imapPort() + "/INBOX;UID=1'"
                + "      # bob's first mail, on the slave",
            "  curl -sk --ssl-reqd -u alice@" + DOMAIN + ":" + PASSWORD + " 'imap://127.0.0.1:" + master.imapPort() + "/INBOX;UID=1'"
                + "    # alice's, on the master",
            "  (IMAP takes logins over STARTTLS only, --ssl-reqd; -k: the demo's certificates are self-signed)",
            "",
            "Logs: " + displayed(master.log()) + " and " + displayed(slave.log()) + ", each line with its server's name.",
            "Ctrl-C stops both servers.");
    }

    private String tokenFile(String node) {
        return displayed((node.equals("master") ? master : slave).workingDirectory().resolve(WebAdminAccess.TOKEN_FILE));
    }

    // As the operator types it from the repository root (where the README starts the demo), when it is below.
    private String displayed(Path file) {
        Path absolute = file.toAbsolutePath();
        Path repository = jamesConf.toAbsolutePath().getParent();
        return absolute.startsWith(repository) ? repository.relativize(absolute).toString() : absolute.toString();
    }

    @Override
    public void close() {
        slave.close();
        master.close();
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
        SplitRoutingDemo demo = start(jamesConf, workRoot, MASTER_PORTS, SLAVE_PORTS);
        Runtime.getRuntime().addShutdownHook(new Thread(demo::close));
        System.out.println(demo.instructions());
        Thread.currentThread().join();
    }
}
