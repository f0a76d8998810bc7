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

import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

import javax.mail.Session;

import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.RelayTls;

/**
 * The Jakarta Mail session settings of a connection to one relay: timeouts, HELO name, local
 * address, and the relay's TLS and AUTH policy. Each connection gets a {@link Session} of its own,
 * because the envelope (sender, DSN options) is passed to {@code SMTPTransport} through the
 * session's properties, set before each mail.
 */
public final class RelaySessions {
    static final String FROM = "mail.smtp.from";
    static final String DSN_RET = "mail.smtp.dsn.ret";
    static final String DSN_NOTIFY = "mail.smtp.dsn.notify";
    static final String MAIL_EXTENSION = "mail.smtp.mailextension";

    private final Properties common;
    private final VerifyingSocketFactory verifying;

    public RelaySessions(RelayDeliveryConfiguration configuration, String heloName, VerifyingSocketFactory verifying) {
        this.verifying = verifying;
        common = new Properties();
        common.setProperty("mail.smtp.connectiontimeout", String.valueOf(configuration.getConnectionTimeout().toMillis()));
        common.setProperty("mail.smtp.timeout", String.valueOf(configuration.getTimeout().toMillis()));
        common.setProperty("mail.smtp.writetimeout", String.valueOf(configuration.getTimeout().toMillis()));
        common.setProperty("mail.smtp.localhost", heloName);
        configuration.getBindAddress().ifPresent(address -> common.setProperty("mail.smtp.localaddress", address));
        // Each recipient has its own outcome: the relay refusing one must not hold back the others.
        common.setProperty("mail.smtp.sendpartial", "true");
        // A cached connection is checked with RSET before it carries the next mail, as Postfix does.
        common.setProperty("mail.smtp.userset", "true");
        common.setProperty("mail.smtp.quitwait", "false");
        common.setProperty("mail.smtp.ehlo", "true");
    }

    /** A new session for one connection to this relay; its properties are that connection's own. */
    public Session newSession(RelayHost relay) {
        Properties properties = new Properties();
        properties.putAll(common);
        properties.putAll(policy(relay.getTls(), relay.getCredential()));
        return Session.getInstance(properties);
    }

    /** A session for a short exchange (a recipient probe): every wait of it bounded by {@code timeout}, not by the delivery's. */
    public Session newSession(RelayHost relay, Duration timeout) {
        Session session = newSession(relay);
        String millis = String.valueOf(Math.max(1, timeout.toMillis()));
        session.getProperties().setProperty("mail.smtp.connectiontimeout", millis);
        session.getProperties().setProperty("mail.smtp.timeout", millis);
        session.getProperties().setProperty("mail.smtp.writetimeout", millis);
        return session;
    }

    private Properties policy(RelayTls tls, Optional<String> credential) {
        Properties properties = new Properties();
        properties.setProperty("mail.smtp.starttls.enable", String.valueOf(tls != RelayTls.NONE));
        properties.setProperty("mail.smtp.starttls.required", String.valueOf(tls.isRequired()));
        if (tls == RelayTls.VERIFY) {
            // The JDK checks the chain and the host name (IP addresses too); Jakarta Mail's own check knows DNS names only.
            properties.put("mail.smtp.ssl.socketFactory", verifying);
            properties.setProperty("mail.smtp.ssl.checkserveridentity", "false");
        } else {
            // may and encrypt protect against passive eavesdropping only: any certificate will do.
            properties.setProperty("mail.smtp.ssl.trust", "*");
            properties.setProperty("mail.smtp.ssl.checkserveridentity", "false");
        }
        properties.setProperty("mail.smtp.auth", String.valueOf(credential.isPresent()));
        return properties;
    }
}
