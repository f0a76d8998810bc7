package org.splitdomain.mailets.verify;

import java.time.Duration;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.splitdomain.mailets.relay.RelayDeliveryEngine;
import org.splitdomain.mailets.relay.RelayEngines;
import org.splitdomain.mailets.relay.SmtpReply;
import org.splitdomain.settings.RelayHost;

/** Asks one relay whether it takes mail for one recipient: its RCPT reply, or a failure when it could not be asked. */
@FunctionalInterface
public interface RelayProbe {
    /** Probes with the session settings of the relay engine running here (HELO name, local address, TLS trust). */
    static RelayProbe through(RelayEngines engines) {
        return (relay, recipient, timeout) -> {
            Optional<RelayDeliveryEngine> engine = engines.all().stream().findFirst();
            if (engine.isEmpty()) {
                throw new MessagingException("no SplitDomainRemoteDelivery runs on this server: nothing could relay " + recipient.asString());
            }
            return engine.get().probe(relay, recipient, timeout);
        };
    }

    SmtpReply probe(RelayHost relay, MailAddress recipient, Duration timeout) throws MessagingException;
}
