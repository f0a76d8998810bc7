package org.splitdomain.webadmin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
            return name().toLowerCase(java.util.Locale.US);
        }
    }

    private final Map<K, Optional<V>> writes;
    private final Map<Change, Integer> counts = new LinkedHashMap<>();
    private final List<Map<String, Object>> entries = new ArrayList<>();

    /**
     * @param imported what the document says, in its order
     * @param current  what the store holds now
     * @param replace  whether what the document does not mention is removed
     */
    ImportDiff(Map<K, V> imported, Map<K, V> current, boolean replace, String keyName, Function<K, String> keyAsString,
               Function<V, Object> asJson) {
        Map<K, Optional<V>> writes = new LinkedHashMap<>();
        imported.forEach((key, value) -> writes.put(key, Optional.of(value)));
        if (replace) {
            current.keySet().stream()
                .filter(key -> !imported.containsKey(key))
                .sorted(java.util.Comparator.comparing(keyAsString))
                .forEach(key -> writes.put(key, Optional.empty()));
        }
        for (Change change : Change.values()) {
            counts.put(change, 0);
        }
        Map<K, Optional<V>> changing = new LinkedHashMap<>();
        writes.forEach((key, after) -> {
            Optional<V> before = Optional.ofNullable(current.get(key));
            Change change = change(before, after);
            counts.merge(change, 1, Integer::sum);
            if (change != Change.UNCHANGED) {
                changing.put(key, after);
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put(keyName, keyAsString.apply(key));
                entry.put("change", change.asJson());
                before.ifPresent(value -> entry.put("before", asJson.apply(value)));
                after.ifPresent(value -> entry.put("after", asJson.apply(value)));
                entries.add(entry);
            }
        });
        // An entry that changes nothing is not written: running an import again costs reads only.
        this.writes = changing;
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

    int count(Change change) {
        return counts.get(change);
    }

    /** The entries that change, in the document's order, then the removed ones. */
    List<Map<String, Object>> entries() {
        return entries;
    }

    static Map<String, Integer> counts(ImportDiff<?, ?> domains, ImportDiff<?, ?> users, Change change) {
        return ImmutableMap.of("domains", domains.count(change), "users", users.count(change));
    }
}
