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
package org.splitdomain.imap;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.james.core.Username;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.ImapSessionState;
import org.apache.james.mailbox.MailboxSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.guard.OpenSessions;

import com.google.common.collect.ImmutableSet;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

/** What {@link OpenSessions} needs to know of an IMAP session: who it acts for, and how to end it. */
final class ImapSessions {
    private static final Logger LOGGER = LoggerFactory.getLogger(ImapSessions.class);
    private static final byte[] BYE = "* BYE This account is not served by this server any more\r\n".getBytes(StandardCharsets.US_ASCII);

    private ImapSessions() {
    }

    static void watch(OpenSessions openSessions, ImapSession session) {
        openSessions.watch("IMAP", session, ImapSessions::users, ImapSessions::close);
    }

    private static Collection<Username> users(ImapSession session) {
        ImapSessionState state = session.getState();
        MailboxSession mailboxSession = session.getMailboxSession();
        if ((state != ImapSessionState.AUTHENTICATED && state != ImapSessionState.SELECTED) || mailboxSession == null) {
            return List.of();
        }
        return Stream.concat(Stream.of(mailboxSession.getUser()), mailboxSession.getLoggedInUser().stream())
            .collect(ImmutableSet.toImmutableSet());
    }

    // RFC 9051 7.1.5: the server sends BYE, then closes the connection.
    private static void close(ImapSession session) {
        Optional<Channel> channel = channel(session);
        channel.ifPresentOrElse(
            open -> open.writeAndFlush(Unpooled.wrappedBuffer(BYE)).addListener(ChannelFutureListener.CLOSE),
            () -> LOGGER.warn("Cannot close the connection of IMAP session {} ({}): it is logged out, and ends at the client's next command",
                session.sessionId().asString(), session.getClass().getName()));
        session.logout().subscribe();
    }

    // James's IMAP session gives no access to its connection; NettyImapSession keeps it in a field.
    private static Optional<Channel> channel(ImapSession session) {
        for (Class<?> type = session.getClass(); type != null; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Channel.class.isAssignableFrom(field.getType())) {
                    try {
                        field.setAccessible(true);
                        return Optional.ofNullable((Channel) field.get(session));
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        return Optional.empty();
                    }
                }
            }
        }
        return Optional.empty();
    }
}
