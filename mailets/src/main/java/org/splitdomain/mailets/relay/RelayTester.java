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

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.mail.AuthenticationFailedException;
import javax.mail.MessagingException;
import javax.mail.Session;

import org.apache.james.core.MailAddress;
import org.splitdomain.settings.RelayCredentials;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.RelayTls;

import com.google.common.collect.ImmutableList;

/**
 * Opens one session with a relay under its policy, as a delivery would (connect, EHLO, STARTTLS, AUTH),
 * and tells what happened at each step, with the SMTP dialogue. Nothing is sent: the session ends with QUIT.
 * Credentials never appear in the dialogue.
 */
public final class RelayTester {
    /** One step of the session: {@code ok}, {@code failed} or {@code skipped}, and what was seen. */
    public static final class Step {
        private final String name;
        private final String result;
        private final String detail;

        Step(String name, String result, String detail) {
            this.name = name;
            this.result = result;
            this.detail = detail;
        }

        public String getStep() {
            return name;
        }

        public String getResult() {
            return result;
        }

        public String getDetail() {
            return detail;
        }
    }

    /** The outcome: {@code ok} when the relay would take mail under its policy. */
    public static final class Report {
        private final RelayHost relay;
        private final Optional<String> error;
        private final List<Step> steps;
        private final List<String> dialogue;

        Report(RelayHost relay, Optional<String> error, List<Step> steps, List<String> dialogue) {
            this.relay = relay;
            this.error = error;
            this.steps = steps;
            this.dialogue = dialogue;
        }

        public RelayHost getRelay() {
            return relay;
        }

        public boolean isOk() {
            return error.isEmpty();
        }

        public Optional<String> getError() {
            return error;
        }

        public List<Step> getSteps() {
            return steps;
        }

        public List<String> getDialogue() {
            return dialogue;
        }
    }

    private static final Pattern REPLY = Pattern.compile("^[2-5][0-9][0-9][ -].*");
    // What Jakarta Mail writes of a command it sent: a verb in capitals (EHLO, STARTTLS, MAIL FROM:<>, QUIT).
    private static final Pattern COMMAND = Pattern.compile("^[A-Z]+( .*)?$");

    private final RelaySessions sessions;
    private final RelayCredentials credentials;
    private final Clock clock;

    public RelayTester(RelaySessions sessions, RelayCredentials credentials, Clock clock) {
        this.sessions = sessions;
        this.credentials = credentials;
        this.clock = clock;
    }

    public Report test(RelayHost relay) {
        return test(relay, sessions.newSession(relay));
    }

    /** The same test, each wait (connect, every reply) bounded by {@code timeout}. */
    public Report test(RelayHost relay, Duration timeout) {
        return test(relay, sessions.newSession(relay, timeout));
    }

    private Report test(RelayHost relay, Session session) {
        ByteArrayOutputStream debug = new ByteArrayOutputStream();
        session.setDebugOut(new PrintStream(debug, true, StandardCharsets.UTF_8));
        session.setDebug(true);
        Optional<String> error = Optional.empty();
        Optional<Class<?>> failure = Optional.empty();
        try {
            RelayConnection connection = RelayConnection.open(relay, session, credentials, clock);
            connection.close();
        } catch (MessagingException e) {
            error = Optional.of(RelayConnection.describe(e));
            failure = Optional.of(e.getClass());
        }
        List<String> dialogue = dialogue(debug.toString(StandardCharsets.UTF_8), relay.getCredential().isPresent());
        return new Report(relay, error, steps(relay, dialogue, error, failure), dialogue);
    }

    /**
     * Asks the relay, under its policy and within {@code timeout} per wait, whether it takes mail for the
     * recipient (see {@link RelayConnection#probe}). Fails when no session could be opened or it broke.
     */
    public SmtpReply probe(RelayHost relay, MailAddress recipient, Duration timeout) throws MessagingException {
        RelayConnection connection = RelayConnection.open(relay, sessions.newSession(relay, timeout), credentials, clock);
        try {
            return connection.probe(recipient);
        } finally {
            connection.close();
        }
    }

    private static List<Step> steps(RelayHost relay, List<String> dialogue, Optional<String> error, Optional<Class<?>> failure) {
        List<Step> steps = new ArrayList<>();
        boolean greeted = dialogue.stream().anyMatch(line -> line.startsWith("S: 220"));
        if (!greeted) {
            steps.add(new Step("connect", "failed", error.orElse("no greeting")));
            return steps;
        }
        steps.add(new Step("connect", "ok", firstReply(dialogue, "220")));
        boolean saidEhlo = dialogue.stream().anyMatch(line -> line.startsWith("C: EHLO"));
        steps.add(new Step("ehlo", saidEhlo ? "ok" : "failed", saidEhlo ? extensions(dialogue) : error.orElse("")));
        boolean offered = dialogue.stream().anyMatch(line -> line.matches("S: 250[- ]STARTTLS.*"));
        boolean started = dialogue.stream().anyMatch(line -> line.equals("C: STARTTLS"));
        boolean tlsFailed = error.filter(message -> message.contains("STARTTLS") || message.contains("TLS")).isPresent();
        if (relay.getTls() == RelayTls.NONE) {
            steps.add(new Step("starttls", "skipped", "tls none: the session stays in clear"));
        } else if (tlsFailed) {
            steps.add(new Step("starttls", "failed", error.get()));
            return steps;
        } else if (started) {
            steps.add(new Step("starttls", "ok", relay.getTls() == RelayTls.VERIFY
                ? "encrypted, certificate trusted and naming " + relay.getHost() : "encrypted, certificate not checked (tls " + relay.getTls().asString() + ")"));
        } else {
            steps.add(new Step("starttls", "skipped", offered ? "offered, not used" : "not offered: tls may goes on in clear"));
        }
        if (relay.getCredential().isEmpty()) {
            steps.add(new Step("auth", "skipped", "no credential"));
        } else if (error.isPresent()) {
            steps.add(new Step("auth", "failed", failure.filter(AuthenticationFailedException.class::equals).isPresent()
                ? "credential '" + relay.getCredential().get() + "' refused: " + error.get() : error.get()));
        } else {
            steps.add(new Step("auth", "ok", "authenticated with credential '" + relay.getCredential().get() + "'"));
        }
        return steps;
    }

    private static String firstReply(List<String> dialogue, String code) {
        return dialogue.stream().filter(line -> line.startsWith("S: " + code)).findFirst().map(line -> line.substring(3)).orElse("");
    }

    private static String extensions(List<String> dialogue) {
        return dialogue.stream()
            .filter(line -> line.startsWith("S: 250-") || line.startsWith("S: 250 "))
            .map(line -> line.substring(7))
            .skip(1)
            .distinct()
            .collect(Collectors.joining(", "));
    }

    static final String AUTH_NOT_SHOWN = "C: AUTH (not shown: it carries the credential)";

    // Jakarta Mail's debug output: protocol lines as sent and received, mixed with its own DEBUG notes and, when a
    // read times out or a connection breaks, the exception's stack trace: only replies and commands are kept.
    // AUTH is never traced by it (mail.debug.auth is off): a line says where it took place. Should an AUTH
    // command show up all the same, it and what follows it until the server's verdict are dropped.
    private static List<String> dialogue(String debug, boolean authenticated) {
        List<String> lines = new ArrayList<>();
        boolean inAuth = false;
        for (String line : debug.split("\\r?\\n")) {
            if (line.isBlank() || line.startsWith("DEBUG")) {
                continue;
            }
            if (line.startsWith("AUTH ")) {
                lines.add(AUTH_NOT_SHOWN);
                inAuth = true;
                continue;
            }
            if (REPLY.matcher(line).matches()) {
                if (inAuth && !line.startsWith("334")) {
                    inAuth = false;
                }
                if (!line.startsWith("334")) {
                    lines.add("S: " + line);
                }
                continue;
            }
            if (!inAuth && COMMAND.matcher(line).matches()) {
                lines.add("C: " + line);
            }
        }
        if (authenticated && !lines.contains(AUTH_NOT_SHOWN)) {
            int quit = lines.indexOf("C: QUIT");
            lines.add(quit < 0 ? lines.size() : quit, AUTH_NOT_SHOWN);
        }
        return ImmutableList.copyOf(lines);
    }
}
