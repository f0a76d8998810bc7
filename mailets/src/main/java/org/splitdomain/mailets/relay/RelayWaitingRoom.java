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

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Mail;
import org.splitdomain.mailets.relay.RelayQueueState.QueuedMail;

import com.google.common.base.MoreObjects;
import com.google.common.collect.ImmutableList;
import com.google.common.io.BaseEncoding;

/**
 * Where relayed mail waits between two attempts: a James mail repository (the flavour's own: memory, file for JPA,
 * cassandra for the distributed flavour), so mail waits as durably as the flavour keeps mail, and every node sharing
 * the repository sees it. The queue holds only mail that is due.
 *
 * <p>A mail is stored under a key that says when it is due and which stay it is:
 * {@code wait-<due, epoch milliseconds>-<stay id>-<mail name>}. Listing the keys is enough to find what is due, so
 * finding it never reads a message; the stay id is what nodes claim before one of them wakes it.</p>
 */
public final class RelayWaitingRoom {
    private static final Pattern KEY = Pattern.compile("^wait-([0-9]{1,19})-([a-z2-7]{10})-(.+)$");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final BaseEncoding STAY_IDS = BaseEncoding.base32().lowerCase().omitPadding();

    /** One mail waiting: its key, its own name, when it is due and the id of this stay. */
    public static final class Entry {
        private final MailKey key;
        private final String name;
        private final Instant due;
        private final String stayId;

        private Entry(MailKey key, String name, Instant due, String stayId) {
            this.key = key;
            this.name = name;
            this.due = due;
            this.stayId = stayId;
        }

        static Optional<Entry> of(MailKey key) {
            Matcher matcher = KEY.matcher(key.asString());
            if (!matcher.matches()) {
                return Optional.empty();
            }
            return Optional.of(new Entry(key, matcher.group(3), Instant.ofEpochMilli(Long.parseLong(matcher.group(1))), matcher.group(2)));
        }

        static Entry create(String name, Instant due) {
            byte[] random = new byte[7];
            RANDOM.nextBytes(random);
            String stayId = STAY_IDS.encode(random).substring(0, 10);
            return new Entry(new MailKey("wait-" + due.toEpochMilli() + "-" + stayId + "-" + name), name, due, stayId);
        }

        public MailKey getKey() {
            return key;
        }

        public String getName() {
            return name;
        }

        public Instant getDue() {
            return due;
        }

        public String getStayId() {
            return stayId;
        }

        public boolean isDue(Instant now) {
            return !due.isAfter(now);
        }

        @Override
        public String toString() {
            return MoreObjects.toStringHelper(this).add("name", name).add("due", due).add("stay", stayId).toString();
        }
    }

    private final MailRepository repository;
    // What listing a stay shows never changes: read once per key.
    private final Map<MailKey, QueuedMail> descriptions = new ConcurrentHashMap<>();

    public RelayWaitingRoom(MailRepository repository) {
        this.repository = repository;
    }

    /**
     * Stores a copy of the mail, due at {@code due}: the mail (the queue's item) can then be acknowledged. The copy
     * has its own message, so that whatever the queue does with the item's once acknowledged leaves it whole.
     */
    public Entry park(Mail mail, Instant due) throws MessagingException {
        Entry entry = Entry.create(mail.getName(), due);
        MailImpl copy = MailImpl.duplicateWithoutMessage(mail)
            .state(mail.getState())
            .mimeMessage(new MimeMessage(mail.getMessage()))
            .build();
        copy.setName(entry.getKey().asString());
        try {
            repository.store(copy);
        } finally {
            LifecycleUtil.dispose(copy);
        }
        return entry;
    }

    /** Every mail waiting, due or not. */
    public List<Entry> entries() throws MessagingException {
        List<Entry> entries = new ArrayList<>();
        for (Iterator<MailKey> keys = repository.list(); keys.hasNext(); ) {
            Entry.of(keys.next()).ifPresent(entries::add);
        }
        // Forget what was listed of stays that ended.
        descriptions.keySet().retainAll(entries.stream().map(Entry::getKey).collect(ImmutableList.toImmutableList()));
        return entries;
    }

    public List<Entry> entriesDue(Instant now) throws MessagingException {
        return entries().stream().filter(entry -> entry.isDue(now)).collect(ImmutableList.toImmutableList());
    }

    /** The waiting mail, under its own name; empty when the stay ended meanwhile. The caller disposes it. */
    public Optional<Mail> retrieve(Entry entry) throws MessagingException {
        Mail mail = repository.retrieve(entry.getKey());
        if (mail == null) {
            return Optional.empty();
        }
        mail.setName(entry.getName());
        return Optional.of(mail);
    }

    public void remove(Entry entry) throws MessagingException {
        repository.remove(entry.getKey());
        descriptions.remove(entry.getKey());
    }

    /** What the listing shows of a waiting mail; empty when the stay ended meanwhile. */
    public Optional<QueuedMail> describe(Entry entry) throws MessagingException {
        QueuedMail known = descriptions.get(entry.getKey());
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Mail> mail = retrieve(entry);
        if (mail.isEmpty()) {
            return Optional.empty();
        }
        try {
            QueuedMail description = RelayQueueState.describe(mail.get(), entry.getDue(), entry.getDue());
            descriptions.put(entry.getKey(), description);
            return Optional.of(description);
        } finally {
            LifecycleUtil.dispose(mail.get());
        }
    }

    public long size() throws MessagingException {
        return entries().size();
    }
}
