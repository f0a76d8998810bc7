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
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.server.core.MimeMessageWrapper;

/**
 * The stored message as one relay transaction carries it: our loop mark on top of it, the stored message left as it is
 * (the mark never reaches the copy that stays queued or goes back to James's processing, whatever fails meanwhile).
 *
 * <p>A message James stored and nothing changed since is written as James stored it, in bulk. Adding the mark to it
 * instead made James re-read and re-parse its stored headers at every transaction and hand them to Jakarta Mail byte
 * by byte: the largest part of what sending cost in the profile of the relay benchmark. Any other message (changed by a
 * mailet, converted to 7 bits, or with a header a transaction leaves out) is written by the message itself.</p>
 */
final class MarkedMessage extends MimeMessage {
    private final MimeMessage stored;
    private final byte[] markLine;

    MarkedMessage(MimeMessage stored, String header, String foldedValue) {
        super((Session) null);
        this.stored = stored;
        this.markLine = (header + ": " + foldedValue + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException, MessagingException {
        writeTo(out, null);
    }

    @Override
    public void writeTo(OutputStream out, String[] ignoreList) throws IOException, MessagingException {
        out.write(markLine);
        if (isAsStored(ignoreList)) {
            try (InputStream asStored = ((MimeMessageWrapper) stored).getMessageInputStream()) {
                asStored.transferTo(out);
            }
        } else {
            stored.writeTo(out, ignoreList);
        }
    }

    // Jakarta Mail leaves some headers out of what it sends (Bcc, Content-Length): the stored bytes do only without them.
    private boolean isAsStored(String[] ignoreList) throws MessagingException {
        if (!(stored instanceof MimeMessageWrapper) || ((MimeMessageWrapper) stored).isModified()) {
            return false;
        }
        if (ignoreList != null) {
            for (String leftOut : ignoreList) {
                if (stored.getHeader(leftOut) != null) {
                    return false;
                }
            }
        }
        return true;
    }
}
