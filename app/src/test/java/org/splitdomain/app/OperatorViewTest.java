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
import static org.splitdomain.app.Mailboxes.AWAIT;
import static org.splitdomain.app.Mailboxes.PASSWORD;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.commons.net.imap.IMAPSClient;
import org.apache.james.utils.TestIMAPClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.splitdomain.testing.SmtpSink;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

import io.restassured.path.json.JsonPath;

/**
 * What an operator's monitoring sees of a master booted from james-conf/ (without its loop secret): the Prometheus
 * scrape of {@code /split-routing/metrics} and James's own {@code /healthcheck}, after real mail went over SMTP to
 * a partner on 127.0.0.2, to a relay that is down, and after a refused IMAP login.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorViewTest {
    private static final String PARTNER_ADDRESS = "127.0.0.2";

    private JamesNode master;
    private SmtpSink partner;
    private SmtpSink deferringPartner;
    private String downRelay;

    @BeforeAll
    void start() throws Exception {
        // Without the loop secret james-conf names, to see what the health check says of it.
        master = JamesNode.start("operator-view", conf -> JamesNode.edit(conf,
            "<loopSecretFile>file://conf/split-domain-loop.secret</loopSecretFile>", ""));
        partner = SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(0).start();
        downRelay = PARTNER_ADDRESS + ":" + SmtpSink.freePort(PARTNER_ADDRESS);
        master.data().addDomain("example.com");
        master.data().addDomain("down.example");
        master.data().addDomain("busy.example");
        master.data().addUser("alice@example.com", PASSWORD);
        master.data().addUser("bob@example.com", PASSWORD);
        master.putDomainRouting("example.com", "{\"relays\":[\"" + partner.relay() + "\"]}");
        master.putUserRouting("bob@example.com", "{\"thirdParty\":true}");
        master.putDomainRouting("down.example", "{\"relays\":[\"" + downRelay + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}");

        // Takes sessions, so its test passes, but defers its one recipient.
        deferringPartner = SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(0)
            .refusing("dave@busy.example", 451, "4.3.2 Try again later").start();
        master.putDomainRouting("busy.example", "{\"relays\":[\"" + deferringPartner.relay() + "\"],\"forwardUnknown\":true,"
            + "\"verifyRecipients\":false}");

        send("bob@example.com");
        send("carol@down.example");
        send("dave@busy.example");
        AWAIT.untilAsserted(() -> assertThat(partner.received()).hasSize(1));
        AWAIT.untilAsserted(() -> assertThat(master.waitingMails().getList("findAll { it.lastError != null }.name")).hasSize(2));
    }

    @AfterAll
    void stop() {
        if (master != null) {
            master.close();
        }
        if (partner != null) {
            partner.close();
        }
        if (deferringPartner != null) {
            deferringPartner.close();
        }
    }

    private void send(String recipient) throws Exception {
        try (SmtpSession session = SmtpSession.connect(master.submissionPort())) {
            session.authenticate("alice@example.com", PASSWORD);
            session.mailFrom("alice@example.com");
            assertThat(session.rcptTo(recipient)).startsWith("250");
            assertThat(session.data("Subject: for " + recipient + "\r\n\r\nhello\r\n")).startsWith("250");
        }
    }

    private String imapLogin(String user) throws Exception {
        IMAPSClient client = TestTls.imapClient();
        try (TestIMAPClient ignored = Mailboxes.connect(client, master.address(), master.imapPort())) {
            client.login(user, PASSWORD);
            return client.getReplyString().trim();
        }
    }

    private String scrape() {
        return PrometheusScrape.of(master).text();
    }

    private static Optional<Double> sample(String scrape, String name, Map<String, String> labels) {
        return new PrometheusScrape(scrape).sample(name, labels);
    }

    @Test
    void theScrapeShouldGiveDecisionsRelayOutcomesQueueAndRefusedLoginsWithTheirLabels() throws Exception {
        assertThat(imapLogin("bob@example.com")).contains(" NO ");
        String scrape = scrape();

        assertThat(sample(scrape, "split_domain_decisions_total", ImmutableMap.of("rule", "third-party"))).contains(1.0);
        assertThat(sample(scrape, "split_domain_decisions_total", ImmutableMap.of("rule", "forward-unknown"))).contains(2.0);
        // Only rules that relay are series: local-user and its kind never move.
        assertThat(sample(scrape, "split_domain_decisions_total", ImmutableMap.of("rule", "local-user"))).isEmpty();
        assertThat(sample(scrape, "split_domain_relayed_recipients_total", ImmutableMap.of())).contains(3.0);
        assertThat(sample(scrape, "split_domain_relay_recipients_total",
            ImmutableMap.of("relay", partner.relay(), "outcome", "delivered"))).contains(1.0);
        assertThat(sample(scrape, "split_domain_relay_recipients_total", ImmutableMap.of("relay", downRelay, "outcome", "deferred")))
            .hasValueSatisfying(deferred -> assertThat(deferred).isGreaterThanOrEqualTo(1.0));
        assertThat(sample(scrape, "split_domain_relay_recipients_total", ImmutableMap.of("relay", downRelay, "outcome", "delivered")))
            .isEmpty();
        assertThat(sample(scrape, "split_domain_relay_connections_total", ImmutableMap.of("relay", partner.relay(), "connection", "opened")))
            .contains(1.0);
        assertThat(sample(scrape, "split_domain_relay_delivery_seconds_count", ImmutableMap.of("relay", partner.relay()))).contains(1.0);
        assertThat(sample(scrape, "split_domain_relay_delivery_seconds", ImmutableMap.of("relay", partner.relay(), "quantile", "0.99")))
            .hasValueSatisfying(seconds -> assertThat(seconds).isBetween(0.0, 60.0));
        assertThat(sample(scrape, "split_domain_relay_queue_mails", ImmutableMap.of("queue", "split-domain-relay", "relay", downRelay)))
            .contains(1.0);
        assertThat(sample(scrape, "split_domain_relay_queue_mails", ImmutableMap.of("relay", partner.relay()))).isEmpty();
        assertThat(sample(scrape, "split_domain_relay_queue_oldest_age_seconds", ImmutableMap.of("relay", downRelay)))
            .hasValueSatisfying(age -> assertThat(age).isBetween(0.0, 600.0));
        assertThat(sample(scrape, "split_domain_logins_refused_total", ImmutableMap.of("protocol", "imap"))).contains(1.0);
        assertThat(scrape).contains("# TYPE split_domain_relay_recipients_total counter",
            "# TYPE split_domain_relay_queue_mails gauge", "# TYPE split_domain_relay_delivery_seconds summary");
    }

    @Test
    void theScrapeShouldNeedWebAdminsToken() {
        master.anonymousWebAdmin().get("/split-routing/metrics").then().statusCode(401);
    }

    private JsonPath health() {
        return JsonPath.from(master.anonymousWebAdmin().get("/healthcheck").asString());
    }

    @Test
    void healthShouldNameTheRelayThatCannotTakeMailAndTheMissingLoopSecret() {
        JsonPath health = health();

        Map<String, String> relays = health.getMap("checks.find { it.componentName == 'Split-domain relays' }");
        assertThat(relays.get("status")).isEqualTo("degraded");
        assertThat(relays.get("cause"))
            .startsWith("2 of 3 relays cannot take mail: ")
            .contains("relay " + downRelay + " (tls may): a test session failed at connect (WebAdmin's relay test gives its answers)")
            .containsPattern("relay " + Pattern.quote(deferringPartner.relay()) + ": its last delivery, at [0-9T:-]+Z, was deferred "
                + Pattern.quote("(GET /split-routing/queue for its answer)"))
            .doesNotContain("relay " + partner.relay())
            // James's /healthcheck answers anyone: what the partner said stays behind WebAdmin's token.
            .doesNotContain("4.3.2", "Try again later");
        Map<String, String> loopSecret = health.getMap("checks.find { it.componentName == 'Split-domain loop secret' }");
        assertThat(loopSecret.get("status")).isEqualTo("degraded");
        assertThat(loopSecret.get("cause")).contains("has no 'loopSecret'", "mailetcontainer.xml");
        assertThat(health.getList("checks.componentName")).contains("Split-domain relays are not this server");
    }

    @Test
    void whatThePartnerAnsweredShouldBeBehindTheTokenOnly() {
        assertThat(master.webAdmin().get("/split-routing/queue").then().statusCode(200).extract().jsonPath()
            .getString("relays.find { it.relay == '" + deferringPartner.relay() + "' }.lastError")).contains("451 4.3.2 Try again later");
    }

    @Test
    void aRelayThatIsThisServerShouldMakeJamesUnhealthyUntilItIsRemoved() throws Exception {
        String ownRelay = "127.0.0.1:" + master.smtpPort();
        master.data().addDomain("own.example");
        // The write itself says so.
        master.webAdmin().body("{\"relays\":[\"" + ownRelay + "\"]}").put("/domains/own.example/split-routing").then().statusCode(200)
            .body("warnings", org.hamcrest.Matchers.contains("relay " + ownRelay + " is this server's own SMTP endpoint: mail relayed there "
                + "comes straight back"));
        String check = "/healthcheck/checks/{component}";
        String component = "Split-domain relays are not this server";

        master.anonymousWebAdmin().get("/healthcheck").then().statusCode(503);
        JsonPath unhealthy = JsonPath.from(master.anonymousWebAdmin().get(check, component).then().statusCode(503).extract().asString());
        assertThat(unhealthy.getString("status")).isEqualTo("unhealthy");
        assertThat(unhealthy.getString("cause"))
            .isEqualTo("Split routing of own.example: relay " + ownRelay + " is this server's own SMTP endpoint: mail relayed there comes straight back");

        master.webAdmin().delete("/domains/own.example/split-routing").then().statusCode(204);
        assertThat(JsonPath.from(master.anonymousWebAdmin().get(check, component).then().statusCode(200).extract().asString()).getString("status"))
            .isEqualTo("healthy");
        List<String> statuses = ImmutableList.copyOf(health().getList("checks.status", String.class));
        assertThat(statuses).doesNotContain("unhealthy");
    }

    @Test
    void theHistoryShouldNameTheAdministratorAndFollowJamesDeletingAUser() throws Exception {
        master.data().addUser("leaver@example.com", PASSWORD);
        master.putUserRouting("leaver@example.com", "{\"thirdParty\":true}");
        master.webAdmin().delete("/users/leaver@example.com").then().statusCode(204);

        JsonPath history = JsonPath.from(master.webAdmin().get("/split-routing/history?address=leaver@example.com").then().statusCode(200)
            .extract().asString());

        assertThat(history.getList("source")).containsExactly("user-deleted", "webadmin");
        assertThat(history.getList("actor")).containsOnly(WebAdminAccess.ADMINISTRATOR);
        assertThat(history.getMap("[0].before")).isEqualTo(ImmutableMap.of("thirdParty", true));
        assertThat(history.getMap("[0].after")).isNull();
        assertThat(history.getMap("[1].before")).isNull();
    }
}
