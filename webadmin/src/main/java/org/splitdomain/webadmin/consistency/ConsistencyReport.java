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
package org.splitdomain.webadmin.consistency;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.james.task.TaskExecutionDetails;

import com.google.common.collect.ImmutableList;

/**
 * What the partner consistency check found so far: read while the task runs (its progress) and once it is done
 * (its report). Each address the partner refused comes with the fix.
 */
public final class ConsistencyReport {
    /** A forwarded address the partner refused, and what the administrator can do about it. */
    public static final class Refusal {
        public static final String FORWARDED_ADDRESS = "forwarded-address";
        public static final String ALIAS_RELAYED_UNCHANGED = "alias-relayed-unchanged";

        private final String address;
        private final String user;
        private final String kind;
        private final String relay;
        private final String reply;
        private final String fix;
        private final Optional<List<String>> forwardedAddresses;

        public Refusal(String address, String user, String kind, String relay, String reply, String fix,
                       Optional<List<String>> forwardedAddresses) {
            this.address = address;
            this.user = user;
            this.kind = kind;
            this.relay = relay;
            this.reply = reply;
            this.fix = fix;
            this.forwardedAddresses = forwardedAddresses.map(ImmutableList::copyOf);
        }

        public String getAddress() {
            return address;
        }

        public String getUser() {
            return user;
        }

        public String getKind() {
            return kind;
        }

        public String getRelay() {
            return relay;
        }

        public String getReply() {
            return reply;
        }

        public String getFix() {
            return fix;
        }

        /** The subset to set as the user's {@code forwardedAddresses}, when one would fix it: the addresses the partner took. */
        public Optional<List<String>> getForwardedAddresses() {
            return forwardedAddresses;
        }
    }

    /** An address no relay gave a final answer about: checked again by the next run. */
    public static final class Unverified {
        private final String address;
        private final String user;
        private final String reason;

        public Unverified(String address, String user, String reason) {
            this.address = address;
            this.user = user;
            this.reason = reason;
        }

        public String getAddress() {
            return address;
        }

        public String getUser() {
            return user;
        }

        public String getReason() {
            return reason;
        }
    }

    /** The report as James's task API shows it under {@code additionalInformation}. */
    public static final class Details implements TaskExecutionDetails.AdditionalInformation {
        private final Instant timestamp;
        private final long usersChecked;
        private final long addressesChecked;
        private final List<Refusal> refused;
        private final List<Unverified> unverified;

        public Details(Instant timestamp, long usersChecked, long addressesChecked, List<Refusal> refused, List<Unverified> unverified) {
            this.timestamp = timestamp;
            this.usersChecked = usersChecked;
            this.addressesChecked = addressesChecked;
            this.refused = ImmutableList.copyOf(refused);
            this.unverified = ImmutableList.copyOf(unverified);
        }

        @Override
        public Instant timestamp() {
            return timestamp;
        }

        public long getUsersChecked() {
            return usersChecked;
        }

        public long getAddressesChecked() {
            return addressesChecked;
        }

        public List<Refusal> getRefused() {
            return refused;
        }

        public List<Unverified> getUnverified() {
            return unverified;
        }
    }

    private final AtomicLong usersChecked = new AtomicLong();
    private final AtomicLong addressesChecked = new AtomicLong();
    private final List<Refusal> refused = new CopyOnWriteArrayList<>();
    private final List<Unverified> unverified = new CopyOnWriteArrayList<>();

    void userChecked() {
        usersChecked.incrementAndGet();
    }

    void addressChecked() {
        addressesChecked.incrementAndGet();
    }

    void refused(Refusal refusal) {
        refused.add(refusal);
    }

    void unverified(Unverified address) {
        unverified.add(address);
    }

    boolean isComplete() {
        return unverified.isEmpty();
    }

    public Details details(Instant now) {
        return new Details(now, usersChecked.get(), addressesChecked.get(), refused, unverified);
    }
}
