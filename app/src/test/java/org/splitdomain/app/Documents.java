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

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The documents an operator reads, README.md and docs/*.md, and their shell examples run as written: with bash, and
 * with the variables the documents say to set ({@code WEBADMIN}, {@code TOKEN}, {@code MX}, ...) given for the
 * server of the test, never by rewriting what the reader types.
 */
final class Documents {
    static final Path REPOSITORY = JamesNode.JAMES_CONF.getParent();
    private static final Pattern SH_BLOCK = Pattern.compile("```sh\n(.*?)```", Pattern.DOTALL);

    private Documents() {
    }

    /** README.md, then the pages of docs/, in that order. */
    static String all() throws Exception {
        StringBuilder text = new StringBuilder(Files.readString(REPOSITORY.resolve("README.md")));
        try (Stream<Path> pages = Files.list(REPOSITORY.resolve("docs"))) {
            for (Path page : (Iterable<Path>) pages.filter(file -> file.toString().endsWith(".md")).sorted()::iterator) {
                text.append("\n").append(Files.readString(page));
            }
        }
        return text.toString();
    }

    /** The one {@code sh} block of the documents holding {@code text}. */
    static String shBlock(String text) throws Exception {
        Matcher blocks = SH_BLOCK.matcher(all());
        List<String> found = new ArrayList<>();
        while (blocks.find()) {
            if (blocks.group(1).contains(text)) {
                found.add(blocks.group(1));
            }
        }
        assertThat(found).as("sh blocks of the documents holding %s", text).hasSize(1);
        return found.get(0);
    }

    /** The {@code json} block right after the text. */
    static String jsonAfter(String text) throws Exception {
        String documents = all();
        int at = documents.indexOf(text);
        assertThat(at).as("the documents' %s", text).isNotNegative();
        int start = documents.indexOf("```json\n", at) + "```json\n".length();
        return documents.substring(start, documents.indexOf("```", start));
    }

    /** Runs a block with bash in {@code directory}, as written, with these variables; its output. */
    static String run(Path directory, String block, Map<String, String> variables) throws Exception {
        Path errors = Files.createTempFile("documents-", ".stderr");
        ProcessBuilder bash = new ProcessBuilder("bash", "-c", "set -e\n" + block).directory(directory.toFile())
            .redirectError(errors.toFile());
        bash.environment().putAll(variables);
        Process process = bash.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", block).isTrue();
        assertThat(process.exitValue()).as("exit code of\n%s\noutput:\n%s\n%s", block, output, Files.readString(errors)).isZero();
        Files.delete(errors);
        return output;
    }
}
