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
package org.splitdomain.mailets.relay;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import javax.inject.Inject;
import javax.inject.Singleton;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.transport.mailets.remote.delivery.HeloNameProvider;
import org.splitdomain.settings.RelayCredentials;
import org.splitdomain.settings.RelayHost;

/**
 * This James's SMTP client of the relays: the session settings (HELO name, local address, timeouts, each relay's TLS
 * and AUTH policy), the connection cache, the relay test and the recipient probes. One per James, injected wherever a
 * relay is spoken to: the relay engine, the SMTP recipient check, WebAdmin and the health check.
 *
 * <p>Its settings are the parameters of the {@code SplitRoutingRemoteDelivery} mailet, which sets it up at its
 * {@code init()}; until then (or in a James without that mailet) every call says so.</p>
 */
@Singleton
public class RelayClient implements AutoCloseable {
    static final String NOT_RUNNING = "no SplitRoutingRemoteDelivery mailet runs in this James";

    /** What the client is made of once set up. */
    private static final class Parts {
        private final String mailetName;
        private final RelayDeliveryConfiguration configuration;
        private final RelaySessions sessions;
        private final RelayConnections connections;
        private final RelayTester tester;
        private final LastDeliveries lastDeliveries;

        private Parts(String mailetName, RelayDeliveryConfiguration configuration, RelaySessions sessions, RelayConnections connections,
                      RelayTester tester, LastDeliveries lastDeliveries) {
            this.mailetName = mailetName;
            this.configuration = configuration;
            this.sessions = sessions;
            this.connections = connections;
            this.tester = tester;
            this.lastDeliveries = lastDeliveries;
        }
    }

    private final RelayCredentials credentials;
    private final MetricFactory metricFactory;
    private final DomainList domainList;
    private final FileSystem fileSystem;
    private final Clock clock;
    private volatile Parts parts;

    @Inject
    public RelayClient(RelayCredentials credentials, MetricFactory metricFactory, DomainList domainList, FileSystem fileSystem) {
        this(credentials, metricFactory, domainList, fileSystem, Clock.systemUTC());
    }

    public RelayClient(RelayCredentials credentials, MetricFactory metricFactory, DomainList domainList, FileSystem fileSystem, Clock clock) {
        this.credentials = credentials;
        this.metricFactory = metricFactory;
        this.domainList = domainList;
        this.fileSystem = fileSystem;
        this.clock = clock;
    }

    /**
     * Sets the client up with the parameters of the mailet {@code mailetName}. A second mailet cannot set it up again:
     * one James has one relay client, so one {@code SplitRoutingRemoteDelivery}.
     */
    public synchronized void setUp(String mailetName, RelayDeliveryConfiguration configuration) throws MessagingException {
        if (parts != null) {
            throw new MessagingException(mailetName + ": the relay client of this James is already set up by mailet " + parts.mailetName
                + ": one James runs one SplitRoutingRemoteDelivery");
        }
        String heloName = new HeloNameProvider(configuration.getHeloName().orElse(null), domainList).getHeloName();
        RelaySessions sessions = new RelaySessions(configuration, heloName, verifyingSocketFactory(mailetName, configuration));
        parts = new Parts(mailetName, configuration, sessions,
            new RelayConnections(configuration, sessions, credentials, new RelayMetrics(metricFactory), clock),
            new RelayTester(sessions, credentials, clock),
            new LastDeliveries(clock));
    }

    private VerifyingSocketFactory verifyingSocketFactory(String mailetName, RelayDeliveryConfiguration configuration) throws MessagingException {
        Optional<Path> trustStore = Optional.empty();
        try {
            if (configuration.getTlsTrustStore().isPresent()) {
                trustStore = Optional.of(fileSystem.getFile(configuration.getTlsTrustStore().get()).toPath());
            }
            return VerifyingSocketFactory.trusting(trustStore, configuration.getTlsTrustStorePassword());
        } catch (IOException | GeneralSecurityException e) {
            throw new MessagingException(mailetName + ": '" + RelayDeliveryConfiguration.TLS_TRUST_STORE + "' "
                + configuration.getTlsTrustStore().orElse("(the JVM's trust store)") + " cannot be read as a PKCS12 or JKS trust store: "
                + e.getMessage(), e);
        }
    }

    /** Starts closing idle connections. */
    public void start() {
        parts().connections.start();
    }

    /** Whether a {@code SplitRoutingRemoteDelivery} mailet set the client up. */
    public boolean isSetUp() {
        return parts != null;
    }

    /** The name of the mailet whose parameters the client uses. */
    public String getMailetName() {
        return parts().mailetName;
    }

    public RelayDeliveryConfiguration getConfiguration() {
        return parts().configuration;
    }

    /** The connection cache the deliveries borrow from. */
    public RelayConnections connections() {
        return parts().connections;
    }

    /** How the last delivery to each relay ended on this node. */
    public LastDeliveries lastDeliveries() {
        return parts().lastDeliveries;
    }

    public Optional<LastDeliveries.LastDelivery> lastDelivery(RelayHost relay) {
        return parts().lastDeliveries.of(relay);
    }

    /** Opens a session with the relay under its policy and tells what happened, step by step; sends nothing. */
    public RelayTester.Report test(RelayHost relay) {
        return parts().tester.test(relay);
    }

    /** The same test, each wait bounded by {@code timeout}. */
    public RelayTester.Report test(RelayHost relay, Duration timeout) {
        return parts().tester.test(relay, timeout);
    }

    /** Asks the relay whether it takes mail for the recipient (MAIL FROM:&lt;&gt;, RCPT, RSET): no mail is sent. */
    public SmtpReply probe(RelayHost relay, MailAddress recipient, Duration timeout) throws MessagingException {
        Parts running = parts;
        if (running == null) {
            throw new MessagingException(NOT_RUNNING + ": nothing could relay " + recipient.asString());
        }
        return running.tester.probe(relay, recipient, timeout);
    }

    private Parts parts() {
        Parts running = parts;
        if (running == null) {
            throw new IllegalStateException(NOT_RUNNING);
        }
        return running;
    }

    /** Closes the cached connections; the client can be set up again (a James whose mailets are reloaded). */
    @Override
    public synchronized void close() {
        if (parts != null) {
            parts.connections.close();
            parts = null;
        }
    }
}
