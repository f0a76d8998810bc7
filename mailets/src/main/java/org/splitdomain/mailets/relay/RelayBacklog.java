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

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.splitdomain.mailets.relay.RelayQueueState.QueuedMail;

import com.google.common.collect.ImmutableList;

/**
 * The mail waiting for one relay: the queue summary of WebAdmin and the queue gauges of the metrics
 * read the same figures. A mail is counted under the relay its next attempt will use for each of its
 * recipients, so a mail for two relays counts for both.
 */
public final class RelayBacklog {
    /** How a recipient that no relay applies to any more is listed: it goes back to James's processing at its next attempt. */
    public static final String NO_RELAY = "none";

    /** The backlog of every relay some waiting mail goes to next, in the order they were met. */
    public static List<RelayBacklog> of(List<QueuedMail> waiting, Function<QueuedMail, List<String>> nextRelays) {
        Map<String, List<QueuedMail>> byRelay = new LinkedHashMap<>();
        for (QueuedMail mail : waiting) {
            for (String relay : nextRelays.apply(mail)) {
                byRelay.computeIfAbsent(relay, any -> new ArrayList<>()).add(mail);
            }
        }
        return byRelay.entrySet().stream()
            .map(relay -> new RelayBacklog(relay.getKey(), relay.getValue()))
            .collect(ImmutableList.toImmutableList());
    }

    private final String relay;
    private final List<QueuedMail> mails;

    private RelayBacklog(String relay, List<QueuedMail> mails) {
        this.relay = relay;
        this.mails = ImmutableList.copyOf(mails);
    }

    /** {@code host:port}, or {@link #NO_RELAY}. */
    public String getRelay() {
        return relay;
    }

    public int getMails() {
        return mails.size();
    }

    /** When the mail that waits longest entered the queue. */
    public Instant getOldestSince() {
        return mails.stream().map(QueuedMail::getSince).min(Comparator.naturalOrder()).orElseThrow();
    }

    /** The error of the mail tried last. */
    public Optional<String> getLastError() {
        return mails.stream()
            .filter(mail -> mail.getLastError().isPresent())
            .max(Comparator.comparing(QueuedMail::getNextAttempt))
            .flatMap(QueuedMail::getLastError);
    }

    public Instant getNextAttempt() {
        return mails.stream().map(QueuedMail::getNextAttempt).min(Comparator.naturalOrder()).orElseThrow();
    }
}
