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
import static org.splitdomain.app.Mailboxes.PASSWORD;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.splitdomain.testing.SmtpSink;

import com.google.common.collect.ImmutableList;

/**
 * Every relayed recipient is counted in {@code split_domain_decisions_total} under the rule that
 * {@code GET /split-routing/route} names for the address the sender wrote: one mail per relay rule over SMTP, then the
 * scrape and the explanations compared. A group member hosted on the other system counts as third-party-after-mapping,
 * as the explanation of the group says, not as third-party, his own route.
 */
class DecisionMetricsTest {
    private static final String PARTNER_ADDRESS = "127.0.0.2";

    private JamesNode james;
    private SmtpSink partner;

    @AfterEach
    void tearDown() {
        if (james != null) {
            james.close();
        }
        if (partner != null) {
            partner.close();
        }
    }

    @Test
    void decisionsShouldBeCountedUnderTheRuleTheRouteExplanationGives() throws Exception {
        james = JamesNode.start("decision-metrics");
        partner = SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(0).start();
        james.data().addDomain("example.com");
        james.data().addDomain("fwd.example");
        james.data().addUser("alice@example.com", PASSWORD);
        james.data().addUser("bob@example.com", PASSWORD);
        james.data().addAddressMapping("team", "example.com", "alice@example.com");
        james.data().addAddressMapping("team", "example.com", "bob@example.com");
        james.putDomainRouting("example.com", "{\"relays\":[\"" + partner.relay() + "\"],\"verifyRecipients\":false}");
        james.putDomainRouting("fwd.example", "{\"relays\":[\"" + partner.relay() + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}");
        james.putUserRouting("bob@example.com", "{\"thirdParty\":true}");

        List<String> written = ImmutableList.of("bob@example.com", "team@example.com", "nobody@fwd.example", "alice@example.com");
        for (String address : written) {
            SmtpSession.send(james.smtpPort(), "someone@external.org", "Subject: for " + address + "\r\n\r\nhi\r\n", address);
        }
        Mailboxes.AWAIT.untilAsserted(() -> assertThat(partner.received()).hasSize(3));
        JamesNode.awaitIdle(james);

        Map<String, Long> explained = written.stream()
            .flatMap(address -> james.explainRoute(address).getList("decisions", Map.class).stream())
            .filter(decision -> "relay".equals(decision.get("route")))
            .collect(Collectors.groupingBy(decision -> (String) decision.get("rule"), Collectors.counting()));
        assertThat(explained).containsOnlyKeys("third-party", "third-party-after-mapping", "forward-unknown");

        Map<String, Long> counted = PrometheusScrape.of(james).samples("split_domain_decisions_total").stream()
            .filter(sample -> sample.value() > 0)
            .collect(Collectors.toMap(sample -> sample.labels().get("rule"), sample -> (long) sample.value()));
        assertThat(counted).isEqualTo(explained);
        // Series only for rules that relay: the others can never move.
        assertThat(PrometheusScrape.of(james).samples("split_domain_decisions_total"))
            .extracting(sample -> sample.labels().get("rule"))
            .containsExactlyInAnyOrder("third-party", "third-party-after-mapping", "forward-unknown");
    }
}
