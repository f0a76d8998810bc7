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
package org.splitdomain.settings.service;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Settings of many domains and users written at once, as an export gives them: to move them between James flavours,
 * to restore a backup, to load many users. Its entries are read and checked by the {@link SettingsService} one by
 * one, in the document's order; a missing entry ({@code null}) is an error of its own.
 */
public final class SettingsImport {
    /** What becomes of the settings the document does not mention. */
    public enum Mode {
        /** They are kept. */
        MERGE,
        /** They are removed. */
        REPLACE;

        public String asString() {
            return name().toLowerCase(Locale.US);
        }
    }

    /** A domain's line: its name as written and its settings. */
    public interface DomainEntry {
        String getDomain();

        RequestedDomainRouting routing();
    }

    /** A user's line: its name as written and its settings. */
    public interface UserEntry {
        String getUsername();

        RequestedUserRouting routing();
    }

    private final List<DomainEntry> domains;
    private final List<UserEntry> users;
    private final Mode mode;
    private final boolean dryRun;

    /** @param dryRun whether to write nothing and answer, entry by entry, what the import would change */
    public SettingsImport(List<? extends DomainEntry> domains, List<? extends UserEntry> users, Mode mode, boolean dryRun) {
        // Entries may be null: each one is reported by its place in the document.
        this.domains = Collections.unmodifiableList(new ArrayList<>(domains));
        this.users = Collections.unmodifiableList(new ArrayList<>(users));
        this.mode = mode;
        this.dryRun = dryRun;
    }

    public List<DomainEntry> getDomains() {
        return domains;
    }

    public List<UserEntry> getUsers() {
        return users;
    }

    public Mode getMode() {
        return mode;
    }

    public boolean isDryRun() {
        return dryRun;
    }
}
