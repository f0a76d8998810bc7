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
