package org.splitdomain.webadmin.dto;

import java.util.List;

import org.apache.james.core.MailAddress;
import org.splitdomain.route.RouteDecision;
import org.splitdomain.route.RouteExplanation;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.google.common.collect.ImmutableList;

/** {@code {"address","resolvedAddresses":[...],"decisions":[{"address","route","relays","rule","reason"}],"warnings":[...]}} */
@JsonPropertyOrder({"address", "resolvedAddresses", "decisions", "warnings"})
public class RouteExplanationDTO {
    @JsonPropertyOrder({"address", "route", "relays", "rule", "reason"})
    public static class Decision {
        private final RouteDecision decision;

        Decision(RouteDecision decision) {
            this.decision = decision;
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
    }

    public static RouteExplanationDTO from(RouteExplanation explanation, List<String> warnings) {
        return new RouteExplanationDTO(explanation, warnings);
    }

    private final RouteExplanation explanation;
    private final List<String> warnings;

    private RouteExplanationDTO(RouteExplanation explanation, List<String> warnings) {
        this.explanation = explanation;
        this.warnings = warnings;
    }

    public String getAddress() {
        return explanation.getAddress().asString();
    }

    public List<String> getResolvedAddresses() {
        return explanation.getResolvedAddresses().stream().map(MailAddress::asString).collect(ImmutableList.toImmutableList());
    }

    public List<Decision> getDecisions() {
        return explanation.getDecisions().stream().map(Decision::new).collect(ImmutableList.toImmutableList());
    }

    public List<String> getWarnings() {
        return warnings;
    }
}
