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
package org.splitdomain.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.james.core.Username;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.splitdomain.route.RouteResolutionException;
import org.splitdomain.route.RouteResolver;

class OpenSessionsTest {
    private static final Username MOVED = Username.of("moved@example.com");
    private static final Username STAYING = Username.of("staying@example.com");

    /** A protocol session as the guard sees it: who it acts for, and whether it was closed. */
    static final class Session {
        final List<Username> users = new ArrayList<>();
        int closed;

        Session(Username... users) {
            this.users.addAll(List.of(users));
        }

        static Collection<Username> users(Session session) {
            return session.users;
        }

        static void close(Session session) {
            session.closed++;
        }
    }

    private final RouteResolver routeResolver = mock(RouteResolver.class);
    private final OpenSessions openSessions = new OpenSessions(routeResolver, Duration.ofHours(1));

    @AfterEach
    void stop() {
        openSessions.stop();
    }

    @Test
    void aSweepShouldCloseOnlyTheSessionsOfUsersHostedElsewhere() {
        when(routeResolver.isHostedElsewhere(MOVED)).thenReturn(true);
        Session moved = new Session(MOVED);
        Session staying = new Session(STAYING);
        Session notLoggedIn = new Session();
        openSessions.watch("IMAP", moved, Session::users, Session::close);
        openSessions.watch("IMAP", staying, Session::users, Session::close);
        openSessions.watch("IMAP", notLoggedIn, Session::users, Session::close);

        assertThat(openSessions.sweep()).isEqualTo(1);

        assertThat(moved.closed).isEqualTo(1);
        assertThat(staying.closed).isZero();
        assertThat(notLoggedIn.closed).isZero();
    }

    @Test
    void aSessionActingForAUserHostedElsewhereShouldBeClosedWhoeverLoggedIn() {
        when(routeResolver.isHostedElsewhere(MOVED)).thenReturn(true);
        Session delegated = new Session(STAYING, MOVED);
        openSessions.watch("IMAP", delegated, Session::users, Session::close);

        openSessions.sweep();

        assertThat(delegated.closed).isEqualTo(1);
    }

    @Test
    void aClosedSessionShouldBeClosedOnceAndForgotten() {
        when(routeResolver.isHostedElsewhere(MOVED)).thenReturn(true);
        Session moved = new Session(MOVED);
        openSessions.watch("POP3", moved, Session::users, Session::close);
        openSessions.watch("POP3", moved, Session::users, Session::close);

        openSessions.sweep();
        openSessions.sweep();

        assertThat(moved.closed).isEqualTo(1);
        assertThat(openSessions.watchedCount()).isZero();
    }

    @Test
    void aSweepThatCannotDecideShouldCloseNothing() {
        when(routeResolver.isHostedElsewhere(MOVED)).thenThrow(new RouteResolutionException("database down", new RuntimeException()));
        Session moved = new Session(MOVED);
        openSessions.watch("IMAP", moved, Session::users, Session::close);

        assertThat(openSessions.sweep()).isZero();

        assertThat(moved.closed).isZero();
        assertThat(openSessions.watchedCount()).isEqualTo(1);
    }

    @Test
    void aSessionJamesDroppedShouldBeForgotten() {
        openSessions.watch("IMAP", new Session(STAYING), Session::users, Session::close);

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            System.gc();
            return openSessions.watchedCount() == 0;
        });
    }
}
