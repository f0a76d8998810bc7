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
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import org.splitdomain.testing.SmtpSink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableMap;

/**
 * The WebAdmin examples of the README and docs/, run by bash as written against James servers booted from james-conf,
 * with the variables the documents set ({@code WEBADMIN}, {@code TOKEN}; {@code OLD_}/{@code NEW_} for two servers)
 * pointing at them; each shows what the documents say it shows. The lines that set the variables for the
 * single-server command are ReadmeSingleServerTest's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadmeWebAdminTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JamesNode james;
    private JamesNode other;
    @TempDir
    Path directory;

    @BeforeAll
    void start() throws Exception {
        james = JamesNode.start("readme-webadmin");
        other = JamesNode.start("readme-webadmin-new");
        for (JamesNode node : List.of(james, other)) {
            node.data().addDomain("example.com");
            for (String user : List.of("bob", "dave", "frank", "gina")) {
                node.data().addUser(user + "@example.com", Mailboxes.PASSWORD);
            }
        }
        james.data().addUserAliasMapping("dave.partner", "example.com", "dave@example.com");
        james.data().addAddressMapping("team", "example.com", "frank@example.com");
        james.data().addAddressMapping("team", "example.com", "gina@example.com");
    }

    @AfterAll
    void stop() {
        for (JamesNode node : new JamesNode[] {james, other}) {
            if (node != null) {
                node.close();
            }
        }
    }

    @BeforeEach
    void noSettings() {
        for (JamesNode node : List.of(james, other)) {
            node.webAdmin().delete("/domains/example.com/split-routing");
            for (String user : List.of("bob", "dave", "frank", "gina")) {
                node.webAdmin().delete("/users/" + user + "@example.com/split-routing");
            }
        }
    }

    private static String block(String text) throws Exception {
        return Documents.shBlock(text);
    }

    private static String jsonAfter(String text) throws Exception {
        return Documents.jsonAfter(text);
    }

    /** Runs a block as written, with the variables the documents set pointing at these servers; its output. */
    private String run(String block) throws Exception {
        return Documents.run(directory, block, ImmutableMap.of(
            "WEBADMIN", "http://127.0.0.1:" + james.webAdminPort(),
            "TOKEN", WebAdminAccess.token(james.workingDirectory()).orElseThrow(),
            "OLD_WEBADMIN", "http://127.0.0.1:" + james.webAdminPort(),
            "OLD_TOKEN", WebAdminAccess.token(james.workingDirectory()).orElseThrow(),
            "NEW_WEBADMIN", "http://127.0.0.1:" + other.webAdminPort(),
            "NEW_TOKEN", WebAdminAccess.token(other.workingDirectory()).orElseThrow()));
    }

    @Test
    void theRouteExplanationShouldBeTheOneTheReadmeShows() throws Exception {
        james.putDomainRouting("example.com", "{\"relays\":[\"mx2.example.com:25\"]}");
        james.putUserRouting("gina@example.com", "{\"thirdParty\":true}");

        String output = run(block("split-routing/route?address=team@example.com"));

        assertThat(JSON.readTree(output)).isEqualTo(JSON.readTree(jsonAfter("split-routing/route?address=team@example.com")));
    }

    @Test
    void theMasterExampleShouldStoreWhatItSays() throws Exception {
        run(block("# bob is hosted on the other system"));

        james.webAdmin().get("/domains/example.com/split-routing").then().statusCode(200)
            .body("relays", org.hamcrest.Matchers.contains("mx-old.example.com:25"))
            .body("forwardUnknown", org.hamcrest.Matchers.is(false))
            .body("verifyRecipients", org.hamcrest.Matchers.is(true));
        james.webAdmin().get("/users/bob@example.com/split-routing").then().statusCode(200)
            .body("thirdParty", org.hamcrest.Matchers.is(true));
        james.webAdmin().get("/users/dave@example.com/split-routing").then().statusCode(200)
            .body("forwardedAddresses", org.hamcrest.Matchers.contains("dave.partner@example.com"));
        assertThat(james.explainRoute("dave@example.com").getString("decisions[0].route")).isEqualTo("local");
        assertThat(james.explainRoute("dave.partner@example.com").getString("decisions[0].route")).isEqualTo("relay");
    }

    @Test
    void theSlaveExampleShouldForwardUnknownAddressesToBothMasters() throws Exception {
        run(block("mx-master-backup.example.com:25"));

        Map<String, Object> route = james.explainRoute("nobody@example.com").getMap("decisions[0]");
        assertThat(route).containsEntry("rule", "forward-unknown")
            .containsEntry("relays", List.of("mx-master.example.com:25", "mx-master-backup.example.com:25"));
    }

    @Test
    void theRelayTestAndQueueExamplesShouldAnswerAsShown() throws Exception {
        james.putDomainRouting("example.com", "{\"relays\":[{\"relay\":\"mx-old.example.com:25\",\"tls\":\"verify\"}]}");

        String output = run(block("/relays/mx-old.example.com:25/test"));

        // curl -s prints the two answers back to back.
        List<JsonNode> answers = JSON.readerFor(JsonNode.class).<JsonNode>readValues(output).readAll();
        assertThat(answers).hasSize(2);
        assertThat(answers.get(0).path("relay").path("relay").asText()).isEqualTo("mx-old.example.com:25");
        assertThat(answers.get(0).path("relay").path("tls").asText()).isEqualTo("verify");
        assertThat(answers.get(0).path("result").asText()).isEqualTo("failed");
        assertThat(answers.get(1).path("queue").asText()).isEqualTo("split-domain-relay");
    }

    @Test
    void theBadRelayExampleShouldGetTheAnswerTheReadmeShows() throws Exception {
        String block = block("mx2:99999");
        String shownAnswer = block.lines().filter(line -> line.startsWith("# {")).findFirst().orElseThrow().substring(2);

        String output = run(block);

        assertThat(output).contains("HTTP/1.1 400 Bad Request");
        assertThat(JSON.readTree(output.substring(output.indexOf('{')))).isEqualTo(JSON.readTree(shownAnswer));
    }

    @Test
    void theVerificationExamplesShouldAnswerAsShown() throws Exception {
        try (SmtpSink partner = SmtpSink.builder().bindAddress("127.0.0.2").port(0).knowing("bob@example.com").start()) {
            james.putDomainRouting("example.com", "{\"relays\":[\"" + partner.relay() + "\"]}");
            james.putUserRouting("bob@example.com", "{\"thirdParty\":true}");
            james.putUserRouting("gina@example.com", "{\"thirdParty\":true}");

            String output = run(block("/split-routing/consistency-check"));

            List<JsonNode> answers = JSON.readerFor(JsonNode.class).<JsonNode>readValues(output).readAll();
            assertThat(answers).hasSize(2);
            assertThat(answers.get(0).at("/decisions/0/probe/result").asText()).isEqualTo("accepted");
            assertThat(answers.get(0).at("/decisions/0/probe/relay").asText()).isEqualTo(partner.relay());
            assertThat(answers.get(1).path("status").asText()).isEqualTo("completed");
            JsonNode report = answers.get(1).path("additionalInformation");
            JsonNode shown = JSON.readTree(jsonAfter("/split-routing/consistency-check"));
            assertThat(fieldNames(report)).containsAll(fieldNames(shown));
            assertThat(report.path("refused")).hasSize(1);
            assertThat(fieldNames(report.at("/refused/0"))).isEqualTo(fieldNames(shown.at("/refused/1")));
            assertThat(report.at("/refused/0/address").asText()).isEqualTo("gina@example.com");
            assertThat(report.at("/refused/0/fix").asText()).isEqualTo(partner.relay() + " knows no address of gina@example.com: "
                + "create gina@example.com there, or unflag gina@example.com (\"thirdParty\": false) to keep its mail on this server");
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        return com.google.common.collect.ImmutableList.copyOf(node.fieldNames());
    }

    @Test
    void theExportAndImportExampleShouldMoveTheSettings() throws Exception {
        james.putDomainRouting("example.com", "{\"relays\":[\"mx2.example.com:25\"]}");
        james.putUserRouting("bob@example.com", "{\"thirdParty\":true}");
        james.putUserRouting("dave@example.com", "{\"thirdParty\":true,\"forwardedAddresses\":[\"dave@example.com\"]}");

        String block = block("/split-routing/export\" > split-routing.json");
        String shownAnswer = block.lines().filter(line -> line.startsWith("# {")).findFirst().orElseThrow().substring(2);

        String output = run(block);

        assertThat(JSON.readTree(output)).isEqualTo(JSON.readTree(shownAnswer));
        other.webAdmin().get("/users/bob@example.com/split-routing").then().statusCode(200)
            .body("thirdParty", org.hamcrest.Matchers.is(true));
    }

    @Test
    void theMetricsAndHealthExampleShouldAnswerAsShown() throws Exception {
        james.putDomainRouting("example.com", "{\"relays\":[{\"relay\":\"mx-old.example.com:25\",\"tls\":\"verify\"}]}");

        String output = run(block("/split-routing/metrics"));

        List<String> samples = output.lines().filter(line -> line.startsWith("split_domain_")).toList();
        assertThat(samples).isNotEmpty().allMatch(line -> line.matches("split_domain_decisions_total\\{rule=\"[a-z-]+\",} [0-9.]+"));
        JsonNode health = JSON.readTree(output.substring(output.indexOf("{\"status\"")));
        JsonNode shown = JSON.readTree(jsonAfter("/split-routing/metrics"));
        assertThat(health.path("status").asText()).isEqualTo(shown.path("status").asText());
        for (JsonNode shownCheck : shown.path("checks")) {
            JsonNode check = java.util.stream.StreamSupport.stream(health.path("checks").spliterator(), false)
                .filter(candidate -> candidate.path("componentName").equals(shownCheck.path("componentName")))
                .findFirst().orElseThrow();
            assertThat(check.path("escapedComponentName")).isEqualTo(shownCheck.path("escapedComponentName"));
            assertThat(check.path("status")).isEqualTo(shownCheck.path("status"));
            // The README cuts a long cause short with "...": what comes before is what James answers.
            String shownCause = shownCheck.path("cause").asText();
            assertThat(check.path("cause").asText()).startsWith(shownCause.split("\\(?\\.\\.\\.")[0]);
        }
    }

    @Test
    void theHistoryExampleShouldAnswerAsShown() throws Exception {
        james.putUserRouting("bob@example.com", "{\"thirdParty\":true}");

        String output = run(block("/split-routing/history?address=bob@example.com"));

        JsonNode latest = JSON.readTree(output).get(0);
        JsonNode shown = JSON.readTree(jsonAfter("/split-routing/history?address=bob@example.com")).get(0);
        assertThat(fieldNames(latest)).isEqualTo(fieldNames(shown));
        for (String field : fieldNames(shown)) {
            if (!field.equals("at")) {
                assertThat(latest.get(field)).as(field).isEqualTo(shown.get(field));
            }
        }
    }
}
