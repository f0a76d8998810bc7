package org.splitdomain.mailets.verify;

import java.time.Duration;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.splitdomain.mailets.relay.RelayClient;
import org.splitdomain.mailets.relay.SmtpReply;
import org.splitdomain.settings.RelayHost;

/** Asks one relay whether it takes mail for one recipient: its RCPT reply, or a failure when it could not be asked. */
@FunctionalInterface
public interface RelayProbe {
    /** Probes with this James's relay client: the session settings of its relay delivery (HELO name, local address, TLS trust). */
    static RelayProbe through(RelayClient client) {
        return client::probe;
    }

    SmtpReply probe(RelayHost relay, MailAddress recipient, Duration timeout) throws MessagingException;
}
