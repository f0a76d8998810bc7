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
package org.splitdomain.webadmin.dto;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.splitdomain.mailets.verify.Verdict;
import org.splitdomain.route.RouteDecision;
import org.splitdomain.route.RouteExplanation;
import org.splitdomain.settings.RelayHost;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

/**
 * {@code {"address","resolvedAddresses":[...],"decisions":[{"address","route","relays","rule","reason","probe"?}],"warnings":[...]}};
 * {@code probe} ({@code {"result","relay","reply"}}) only when the relays were asked ({@code probe=true}).
 */
@JsonPropertyOrder({"address", "resolvedAddresses", "decisions", "warnings"})
public class RouteExplanationDTO {
    /** What the relays answered when asked about one relayed address. */
    @JsonPropertyOrder({"result", "relay", "reply"})
    public static class Probe {
        private final Verdict verdict;

        Probe(Verdict verdict) {
            this.verdict = verdict;
        }

        public String getResult() {
            return verdict.getKind().asString();
        }

        @JsonInclude(JsonInclude.Include.NON_NULL)
        public String getRelay() {
            return verdict.getRelay().map(RelayHost::asString).orElse(null);
        }

        public String getReply() {
            return verdict.getDetail();
        }
    }

    @JsonPropertyOrder({"address", "route", "relays", "rule", "reason", "probe"})
    public static class Decision {
        private final RouteDecision decision;
        private final Optional<Verdict> probe;

        Decision(RouteDecision decision, Optional<Verdict> probe) {
            this.decision = decision;
            this.probe = probe;
        }

        public String getAddress() {
            return decision.getAddress().asString();
        }

        public String getRoute() {
            return decision.getRoute().asString();
        }

        public List<RelayDTO> getRelays() {
            return decision.getRelays().stream().map(RelayDTO::from).collect(ImmutableList.toImmutableList());
        }

        public String getRule() {
            return decision.getRule().asString();
        }

        public String getReason() {
            return decision.getReason();
        }

        @JsonInclude(JsonInclude.Include.NON_NULL)
        public Probe getProbe() {
            return probe.map(Probe::new).orElse(null);
        }
    }

    public static RouteExplanationDTO from(RouteExplanation explanation, List<String> warnings) {
        return new RouteExplanationDTO(explanation, warnings, ImmutableMap.of());
    }

    /** With what the relays answered for each relayed address they were asked about. */
    public static RouteExplanationDTO from(RouteExplanation explanation, List<String> warnings, Map<MailAddress, Verdict> probes) {
        return new RouteExplanationDTO(explanation, warnings, probes);
    }

    private final RouteExplanation explanation;
    private final List<String> warnings;
    private final Map<MailAddress, Verdict> probes;

    private RouteExplanationDTO(RouteExplanation explanation, List<String> warnings, Map<MailAddress, Verdict> probes) {
        this.explanation = explanation;
        this.warnings = warnings;
        this.probes = probes;
    }

    public String getAddress() {
        return explanation.getAddress().asString();
    }

    public List<String> getResolvedAddresses() {
        return explanation.getResolvedAddresses().stream().map(MailAddress::asString).collect(ImmutableList.toImmutableList());
    }

    public List<Decision> getDecisions() {
        return explanation.getDecisions().stream().map(decision -> new Decision(decision, Optional.ofNullable(probes.get(decision.getAddress())))).collect(ImmutableList.toImmutableList());
    }

    public List<String> getWarnings() {
        return warnings;
    }
}
