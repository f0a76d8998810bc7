package org.splitdomain.webadmin.dto;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One line of {@code GET /split-routing/domains}. */
@JsonPropertyOrder({"domain", "relays", "forwardUnknown"})
public class DomainRoutingEntry {
    private final String domain;
    private final DomainRoutingDTO routing;

    public DomainRoutingEntry(String domain, DomainRoutingDTO routing) {
        this.domain = domain;
        this.routing = routing;
    }

    public String getDomain() {
        return domain;
    }

    public List<String> getRelays() {
        return routing.getRelays();
    }

    public boolean isForwardUnknown() {
        return routing.isForwardUnknown();
    }
}
