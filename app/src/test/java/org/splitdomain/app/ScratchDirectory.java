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
package org.splitdomain.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A folder of the repository a test writes into because the README names it ({@code run/mine}, {@code run/demo}):
 * removed again afterwards, with the {@code run/} above it, unless they were there before the test (an operator's own
 * run of the demo is never touched).
 */
final class ScratchDirectory {
    private final Path directory;
    private final Path topmostCreated;

    /** Call before the test writes into {@code directory}. */
    ScratchDirectory(Path directory) {
        this.directory = directory;
        Path topmost = null;
        for (Path candidate = directory; candidate != null && !Files.exists(candidate); candidate = candidate.getParent()) {
            topmost = candidate;
        }
        this.topmostCreated = topmost;
    }

    Path path() {
        return directory;
    }

    /** Removes what the test created. */
    void clean() {
        if (topmostCreated == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(topmostCreated)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(file);
            }
        } catch (java.nio.file.NoSuchFileException gone) {
            // nothing left to remove
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove " + topmostCreated, e);
        }
    }
}
