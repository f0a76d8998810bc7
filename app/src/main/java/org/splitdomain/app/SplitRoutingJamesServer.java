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

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Optional;

import org.apache.james.GuiceJamesServer;
import org.apache.james.modules.protocols.ImapGuiceProbe;
import org.apache.james.modules.protocols.SmtpGuiceProbe;
import org.apache.james.utils.WebAdminGuiceProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.common.base.Throwables;

import com.google.inject.Module;

/**
 * Runs one in-process James (memory flavour, or the JPA server of the official JPA image) with the split-domain
 * extension on the class path, from any configuration directory: no Docker, no James distribution needed.
 *
 * <pre>
 * SplitRoutingJamesServer --conf james-conf --work run/master [--flavour memory|jpa] [--database jdbc:postgresql://...]
 *     [--ports smtp=2525,submission=2587,imap=1143,webadmin=8001] [--bind 127.0.0.1]
 * </pre>
 */
public final class SplitRoutingJamesServer {
    private static final Logger LOGGER = LoggerFactory.getLogger(SplitRoutingJamesServer.class);

    private SplitRoutingJamesServer() {
    }

    /** Starts a memory James on a working directory whose {@code conf/} is ready. */
    public static GuiceJamesServer startPrepared(Path workingDirectory, Module... overrides) throws Exception {
        return startPrepared(workingDirectory, Flavour.MEMORY, overrides);
    }

    /** Starts James of {@code flavour} on a working directory whose {@code conf/} is ready. */
    public static GuiceJamesServer startPrepared(Path workingDirectory, Flavour flavour, Module... overrides) throws Exception {
        GuiceJamesServer server = flavour.server(workingDirectory, overrides);
        server.start();
        return server;
    }

    public static String describe(GuiceJamesServer server) {
        return "SMTP " + server.getProbe(SmtpGuiceProbe.class).getSmtpPort().getValue()
            + ", submission " + server.getProbe(SmtpGuiceProbe.class).getSmtpAuthRequiredPort().getValue()
            + ", IMAP " + imapPort(server)
            + ", WebAdmin " + server.getProbe(WebAdminGuiceProbe.class).getWebAdminPort().getValue();
    }

    /**
     * The port of the IMAP server a client connects to in plain text: the STARTTLS one (james-conf's, the images' 143),
     * else one without TLS. James's probe calls every server without STARTTLS "IMAP", the implicit-TLS one (993) included.
     */
    public static int imapPort(GuiceJamesServer server) {
        ImapGuiceProbe probe = server.getProbe(ImapGuiceProbe.class);
        try {
            return probe.getImapStartTLSPort();
        } catch (IllegalStateException noStartTlsServer) {
            return probe.getImapPort();
        }
    }

    public static void main(String[] args) throws Exception {
        // James would exit at a start-up error on its own, after a stack trace; we say what failed in one line first.
        System.setProperty("james.exit.on.startup.error", "false");
        Path conf = Paths.get("james-conf");
        Path work = Paths.get("run", "james");
        ServerPorts ports = ServerPorts.unchanged();
        Flavour flavour = Flavour.MEMORY;
        Optional<String> database = Optional.empty();
        String bindAddress = null;
        Iterator<String> arguments = Arrays.asList(args).iterator();
        while (arguments.hasNext()) {
            String argument = arguments.next();
            if (!arguments.hasNext()) {
                usage("missing value after " + argument);
            }
            switch (argument) {
                case "--conf":
                    conf = Paths.get(arguments.next());
                    break;
                case "--work":
                    work = Paths.get(arguments.next());
                    break;
                case "--ports":
                    ports = ServerPorts.parse(arguments.next());
                    break;
                case "--flavour":
                    flavour = flavour(arguments.next());
                    break;
                case "--database":
                    database = Optional.of(arguments.next());
                    break;
                case "--bind":
                    bindAddress = bindAddress(arguments.next());
                    break;
                default:
                    usage("unknown option " + argument);
            }
        }
        if (database.isPresent() && flavour != Flavour.JPA) {
            usage("--database is for --flavour jpa");
        }
        try {
            ConfigurationDirectory.prepare(conf, work.toAbsolutePath(), ports, flavour, database);
        } catch (RuntimeException e) {
            fail(withRootCause(e));
        }
        if (bindAddress != null) {
            ConfigurationDirectory.bindTo(work.toAbsolutePath(), bindAddress);
        }
        LauncherPreflight.problem(work.toAbsolutePath()).ifPresent(SplitRoutingJamesServer::fail);
        LauncherLogging.configureFrom(work.toAbsolutePath());
        GuiceJamesServer server = flavour.server(work.toAbsolutePath());
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            fail("James did not start: " + Throwables.getRootCause(e).getMessage() + " (the log above has the details)");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        Path runningConf = work.resolve("conf");
        LOGGER.info("James ({} flavour) with split-domain routing started on {} (copied from {}): {}", flavour.optionValue(), runningConf, conf,
            describe(server));
        System.out.println("James (" + flavour.optionValue() + " flavour) with split-domain routing is running on " + runningConf
            + " (copied from " + conf + "): " + describe(server));
        Path workingDirectory = work;
        WebAdminAccess.token(work.toAbsolutePath()).ifPresent(token -> System.out.println(
            "WebAdmin wants 'Authorization: Bearer <token>'; the token is in " + workingDirectory.resolve(WebAdminAccess.TOKEN_FILE)));
        Thread.currentThread().join();
    }

    private static Flavour flavour(String value) {
        try {
            return Flavour.parse(value);
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
            return Flavour.MEMORY;
        }
    }

    // An address of this machine, written as James's <bind> takes it.
    private static String bindAddress(String address) {
        try {
            InetAddress parsed = InetAddress.getByName(address);
            if (!parsed.isAnyLocalAddress() && !parsed.isLoopbackAddress() && NetworkInterface.getByInetAddress(parsed) == null) {
                usage("--bind " + address + ": not an address of this machine");
            }
            return parsed.getHostAddress();
        } catch (IOException e) {
            usage("--bind " + address + ": not an address (" + e.getMessage() + ")");
            return null;
        }
    }

    // One line, and an exit: exec:java runs us inside Maven, where a thread left waiting would hold the terminal.
    private static void fail(String problem) {
        System.err.println("split-domain launcher: " + problem);
        System.exit(1);
    }

    private static String withRootCause(Throwable e) {
        String root = Throwables.getRootCause(e).getMessage();
        return root == null || root.equals(e.getMessage()) ? e.getMessage() : e.getMessage() + ": " + root;
    }

    private static void stopQuietly(GuiceJamesServer server) {
        try {
            server.stop();
        } catch (RuntimeException e) {
            LOGGER.debug("Stopping a James that did not start", e);
        }
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: SplitRoutingJamesServer [--conf DIR] [--work DIR] [--flavour memory|jpa] [--database JDBC-URL]"
            + " [--ports smtp=N,submission=N,smtps=N,imap=N,imaps=N,pop3=N,webadmin=N] [--bind ADDRESS]");
        System.exit(2);
    }
}
