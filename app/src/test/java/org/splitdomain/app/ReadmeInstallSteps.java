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
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.google.common.base.Splitter;

/**
 * The README's install steps, as an operator follows them on the files of an official image's {@code conf/}: each
 * snippet is read from the README, under its {@code <!-- install: name -->} mark, and put where the step's text says.
 * Every change asserts that it found its place, so a step that no longer matches an image fails here.
 */
final class ReadmeInstallSteps {
    static final Path README = JamesNode.JAMES_CONF.getParent().resolve("README.md");
    private static final Pattern STORE_ROW = Pattern.compile("^\\s*\\| `([a-z]+)-3\\.8\\.1` \\|[^|]*\\| `([^`]+)` \\|$", Pattern.MULTILINE);

    private final String readme;

    ReadmeInstallSteps() throws Exception {
        this.readme = Files.readString(README);
    }

    /** The code block under {@code <!-- install: name -->}, without the list's indentation. */
    String snippet(String name) {
        Matcher block = Pattern.compile("<!-- install: " + Pattern.quote(name) + " -->\\n(\\s*)```[a-z]*\\n(.*?)\\n\\s*```", Pattern.DOTALL)
            .matcher(readme);
        assertThat(block.find()).as("README snippet '%s'", name).isTrue();
        String indentation = block.group(1);
        String snippet = Splitter.on('\n').splitToStream(block.group(2))
            .map(line -> line.startsWith(indentation) ? line.substring(indentation.length()) : line.trim())
            .collect(Collectors.joining("\n"));
        assertThat(block.find()).as("a second README snippet '%s'", name).isFalse();
        return snippet;
    }

    /** The settings store line of the install steps' table for an image ({@code memory}, {@code jpa}, {@code distributed}). */
    String storeLine(String image) {
        Matcher row = STORE_ROW.matcher(readme);
        while (row.find()) {
            if (row.group(1).equals(image)) {
                return row.group(2);
            }
        }
        throw new AssertionError("no settings store line for " + image + "-3.8.1 in the README's install steps");
    }

    /** Applies steps 2 to 6 to {@code conf}, as their text says, for an image. */
    void applyTo(Path conf, String image) throws Exception {
        append(conf.resolve("extensions.properties"), storeLine(image) + "\n" + snippet("extensions.properties"));
        append(conf.resolve("webadmin.properties"), snippet("webadmin.properties"));
        append(conf.resolve("healthcheck.properties"), snippet("healthcheck.properties"));
        smtpServers(conf.resolve("smtpserver.xml"));
        edit(conf.resolve("imapserver.xml"), "<imapservers>", "<imapservers>\n" + snippet("imapserver.xml"));
        if (!image.equals("jpa")) {
            append(conf.resolve("jmap.properties"), snippet("jmap.properties"));
        }
        mailetContainer(conf.resolve("mailetcontainer.xml"));
    }

    private static void append(Path file, String lines) throws Exception {
        String content = Files.exists(file) ? Files.readString(file) : "";
        assertThat(content.lines().filter(line -> !line.isBlank() && !line.startsWith("#")))
            .as("%s has no line of its own that ours would need to join", file.getFileName())
            .noneMatch(line -> lines.lines().anyMatch(ours -> ours.split("=")[0].equals(line.split("=")[0])));
        Files.writeString(file, content + (content.isEmpty() || content.endsWith("\n") ? "" : "\n") + lines + "\n");
    }

    private void smtpServers(Path file) throws Exception {
        String xml = Files.readString(file);
        List<String> servers = Splitter.on("</smtpserver>").splitToList(xml);
        StringBuilder edited = new StringBuilder();
        int replaced = 0;
        for (int i = 0; i < servers.size() - 1; i++) {
            String server = servers.get(i);
            assertThat(server).as("smtpserver %s of %s", i + 1, file.getFileName()).contains(snippet("smtpserver.xml replace"));
            server = server.replace(snippet("smtpserver.xml replace"), snippet("smtpserver.xml by"));
            if (server.matches("(?s).*<requireSSL>\\s*true\\s*</requireSSL>.*")) {
                server = server.replaceFirst("<handlerchain>", Matcher.quoteReplacement("<handlerchain>\n" + snippet("smtpserver.xml requireSSL")));
            }
            if (server.contains("<tls socketTLS=\"false\" startTLS=\"false\">")) {
                assertThat(server).as("the server without TLS of %s", file.getFileName()).contains(snippet("smtpserver.xml plain auth replace"));
                server = server.replace(snippet("smtpserver.xml plain auth replace"), snippet("smtpserver.xml plain auth by"));
            }
            edited.append(server).append("</smtpserver>");
            replaced++;
        }
        edited.append(servers.get(servers.size() - 1));
        assertThat(replaced).as("smtp servers of %s", file.getFileName()).isGreaterThan(0);
        Files.writeString(file, edited.toString());
    }

    private void mailetContainer(Path file) throws Exception {
        String xml = Files.readString(file);
        // The image's lines, whatever their indentation: the same elements in the same order.
        String anyIndentation = Splitter.on('\n').trimResults().omitEmptyStrings().splitToStream(snippet("mailetcontainer.xml replace"))
            .map(Pattern::quote)
            .collect(Collectors.joining("\\s*"));
        Matcher recipientRewriteTable = Pattern.compile(anyIndentation).matcher(xml);
        assertThat(recipientRewriteTable.find()).as("James's RecipientRewriteTable mailet in %s", file).isTrue();
        String transport = xml.substring(xml.lastIndexOf("<processor ", recipientRewriteTable.start()), recipientRewriteTable.start());
        assertThat(transport).as("the processor holding it").contains("state=\"transport\"");
        String edited = xml.substring(0, recipientRewriteTable.start()) + snippet("mailetcontainer.xml by") + xml.substring(recipientRewriteTable.end());
        assertThat(recipientRewriteTable.find()).as("a second RecipientRewriteTable mailet in %s", file).isFalse();
        Files.writeString(file, edit(edited, "</processors>", snippet("mailetcontainer.xml processor") + "\n</processors>"));
    }

    private static void edit(Path file, String from, String to) throws Exception {
        Files.writeString(file, edit(Files.readString(file), from, to));
    }

    private static String edit(String content, String from, String to) {
        assertThat(content).contains(from);
        return content.replace(from, to);
    }
}
