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

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import javax.mail.internet.MimeMessage;

import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a relay transaction writes of a message James stored: the mark on top, the rest as James stored it. */
class MarkedMessageTest {
    // What SMTPTransport leaves out of each message it sends.
    private static final String[] LEFT_OUT = {"Bcc", "Content-Length"};
    private static final String MARK = "v=2; t=1764600000; r=abc";
    private static final String STORED = "Received: from client.example ([127.0.0.1])\r\n"
        + "\tby james.example with SMTP\r\n"
        + "Message-ID: <1@test>\r\n"
        + "From: alice@example.com\r\n"
        + "To: bob@west.com\r\n"
        + "Subject: hello\r\n"
        + "\r\n"
        + "a body\r\n"
        + ".a line with a leading dot\r\n";

    private MimeMessageWrapper stored;

    @AfterEach
    void dispose() {
        if (stored != null) {
            stored.dispose();
        }
    }

    private MimeMessageWrapper stored(String message) throws Exception {
        stored = new MimeMessageWrapper(MimeMessageInputStreamSource.create("stored",
            new ByteArrayInputStream(message.getBytes(StandardCharsets.US_ASCII))));
        return stored;
    }

    private static String sent(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new MarkedMessage(message, LoopMarker.HEADER, MARK).writeTo(out, LEFT_OUT);
        return out.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void aStoredMessageShouldBeSentAsStoredUnderTheMark() throws Exception {
        MimeMessageWrapper message = stored(STORED);

        assertThat(sent(message)).isEqualTo(LoopMarker.HEADER + ": " + MARK + "\r\n" + STORED);
        assertThat(message.isModified()).isFalse();
        assertThat(message.getHeader(LoopMarker.HEADER)).isNull();
    }

    @Test
    void aHeaderTheTransactionLeavesOutShouldNotBeSent() throws Exception {
        MimeMessageWrapper message = stored(STORED.replace("Subject: hello\r\n", "Subject: hello\r\nBcc: hidden@west.com\r\n"));

        String sent = sent(message);

        assertThat(sent).startsWith(LoopMarker.HEADER + ": " + MARK + "\r\n").doesNotContain("hidden@west.com")
            .contains("Subject: hello\r\n").endsWith("\r\n\r\na body\r\n.a line with a leading dot\r\n");
        assertThat(message.getHeader("Bcc")).containsExactly("hidden@west.com");
    }

    @Test
    void aMessageAMailetChangedShouldBeSentWithTheChange() throws Exception {
        MimeMessageWrapper message = stored(STORED);
        message.addHeader("X-Added-By-A-Mailet", "yes");

        MimeMessage received = new MimeMessage(null, new ByteArrayInputStream(sent(message).getBytes(StandardCharsets.US_ASCII)));

        assertThat(received.getHeader("X-Added-By-A-Mailet")).containsExactly("yes");
        assertThat(received.getHeader(LoopMarker.HEADER)).containsExactly(MARK);
        assertThat(received.getMessageID()).isEqualTo("<1@test>");
        assertThat(message.getHeader(LoopMarker.HEADER)).isNull();
    }
}
