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

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.common.collect.ImmutableList;

/**
 * What an import did, or would do on a dry run: how many entries the document had, how many of them each change
 * concerns, the warnings of its settings and, on a dry run, every change entry by entry.
 */
public final class ImportReport {
    private final int domains;
    private final int users;
    private final SettingsImport.Mode mode;
    private final boolean dryRun;
    private final Map<String, Map<String, Integer>> changes;
    private final List<String> warnings;
    private final Optional<List<Map<String, Object>>> diff;

    ImportReport(int domains, int users, SettingsImport.Mode mode, boolean dryRun, Map<String, Map<String, Integer>> changes,
                 List<String> warnings, Optional<List<Map<String, Object>>> diff) {
        this.domains = domains;
        this.users = users;
        this.mode = mode;
        this.dryRun = dryRun;
        this.changes = changes;
        this.warnings = ImmutableList.copyOf(warnings);
        this.diff = diff;
    }

    public int getDomains() {
        return domains;
    }

    public int getUsers() {
        return users;
    }

    public SettingsImport.Mode getMode() {
        return mode;
    }

    public boolean isDryRun() {
        return dryRun;
    }

    /**
     * {@code added}, {@code changed}, {@code removed} and {@code unchanged}, in this order, each with its count of
     * {@code domains} and {@code users}.
     */
    public Map<String, Map<String, Integer>> getChanges() {
        return changes;
    }

    public List<String> getWarnings() {
        return warnings;
    }

    /**
     * On a dry run, each entry that changes, in the document's order, then each one removed: its {@code domain} or
     * {@code username}, its {@code change}, its settings {@code before} and {@code after} (absent when none).
     */
    public Optional<List<Map<String, Object>>> getDiff() {
        return diff;
    }
}
