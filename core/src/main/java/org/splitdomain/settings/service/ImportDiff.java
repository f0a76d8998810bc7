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
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import com.google.common.collect.ImmutableMap;

/**
 * What an import changes in one kind of settings (domains or users), entry by entry, against what the store holds:
 * added, changed, removed (in replace mode) or unchanged.
 */
final class ImportDiff<K, V> {
    enum Change {
        ADDED, CHANGED, REMOVED, UNCHANGED;

        String asJson() {
            return name().toLowerCase(Locale.US);
        }
    }

    private final Map<K, V> current;
    private final String keyName;
    private final Function<K, String> keyAsString;
    private final Function<V, Object> asJson;
    private final Map<K, Optional<V>> writes = new LinkedHashMap<>();
    private final Map<Change, Integer> counts = new EnumMap<>(Change.class);

    /**
     * @param imported what the document says, in its order
     * @param current  what the store holds now
     * @param replace  whether what the document does not mention is removed
     */
    ImportDiff(Map<K, V> imported, Map<K, V> current, boolean replace, String keyName, Function<K, String> keyAsString,
               Function<V, Object> asJson) {
        this.current = current;
        this.keyName = keyName;
        this.keyAsString = keyAsString;
        this.asJson = asJson;
        for (Change change : Change.values()) {
            counts.put(change, 0);
        }
        imported.forEach((key, value) -> count(key, Optional.of(value)));
        if (replace) {
            current.keySet().stream()
                .filter(key -> !imported.containsKey(key))
                .sorted(Comparator.comparing(keyAsString))
                .forEach(key -> count(key, Optional.empty()));
        }
    }

    // An entry that changes nothing is not written: running an import again costs reads only.
    private void count(K key, Optional<V> after) {
        Change change = change(Optional.ofNullable(current.get(key)), after);
        counts.merge(change, 1, Integer::sum);
        if (change != Change.UNCHANGED) {
            writes.put(key, after);
        }
    }

    private static <V> Change change(Optional<V> before, Optional<V> after) {
        if (after.isEmpty()) {
            return Change.REMOVED;
        }
        if (before.isEmpty()) {
            return Change.ADDED;
        }
        return Objects.equals(before.get(), after.get()) ? Change.UNCHANGED : Change.CHANGED;
    }

    /** Every setting that changes, to store, and every one to remove, as empty: what the store is given. */
    Map<K, Optional<V>> writes() {
        return writes;
    }

    /** What one write of the import does to one entry. */
    @FunctionalInterface
    interface WriteConsumer<K, V> {
        void accept(K key, Optional<V> before, Optional<V> after);
    }

    /** Every write of the import, with the settings before it: what the history records. */
    void forEachWrite(WriteConsumer<K, V> consumer) {
        writes.forEach((key, after) -> consumer.accept(key, Optional.ofNullable(current.get(key)), after));
    }

    int count(Change change) {
        return counts.get(change);
    }

    /**
     * The entries that change, in the document's order, then the removed ones, each with its settings before and
     * after: what a dry run answers, so built only when asked.
     */
    List<Map<String, Object>> entries() {
        List<Map<String, Object>> entries = new ArrayList<>(writes.size());
        writes.forEach((key, after) -> {
            Optional<V> before = Optional.ofNullable(current.get(key));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put(keyName, keyAsString.apply(key));
            entry.put("change", change(before, after).asJson());
            before.ifPresent(value -> entry.put("before", asJson.apply(value)));
            after.ifPresent(value -> entry.put("after", asJson.apply(value)));
            entries.add(entry);
        });
        return entries;
    }

    static Map<String, Integer> counts(ImportDiff<?, ?> domains, ImportDiff<?, ?> users, Change change) {
        return ImmutableMap.of("domains", domains.count(change), "users", users.count(change));
    }
}
