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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.splitdomain.settings.service.ImportDiff.Change;

import com.google.common.collect.ImmutableMap;

class ImportDiffTest {
    private static ImportDiff<String, Integer> diff(ImmutableMap<String, Integer> imported, ImmutableMap<String, Integer> current, boolean replace) {
        return new ImportDiff<>(imported, current, replace, "name", Function.identity(), value -> value);
    }

    @Test
    void onlyWhatChangesShouldBeWritten() {
        ImportDiff<String, Integer> diff = diff(ImmutableMap.of("same", 1, "new", 2, "other", 3), ImmutableMap.of("same", 1, "other", 4, "kept", 5), false);

        assertThat(diff.writes()).containsExactly(entry("new", Optional.of(2)), entry("other", Optional.of(3)));
        assertThat(diff.count(Change.UNCHANGED)).isEqualTo(1);
        assertThat(diff.count(Change.ADDED)).isEqualTo(1);
        assertThat(diff.count(Change.CHANGED)).isEqualTo(1);
        assertThat(diff.count(Change.REMOVED)).isZero();
    }

    @Test
    void replaceShouldRemoveWhatTheDocumentDoesNotMention() {
        ImportDiff<String, Integer> diff = diff(ImmutableMap.of("same", 1), ImmutableMap.of("same", 1, "b", 2, "a", 3), true);

        assertThat(diff.writes()).containsExactly(entry("a", Optional.empty()), entry("b", Optional.empty()));
        assertThat(diff.entries()).containsExactly(
            ImmutableMap.of("name", "a", "change", "removed", "before", 3),
            ImmutableMap.of("name", "b", "change", "removed", "before", 2));
    }
}
