package org.splitdomain.webadmin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.james.core.MailAddress;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.UserRouting;
import org.splitdomain.webadmin.dto.DomainRoutingDTO;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;

/** Settings as the routes show them, for log lines an operator can paste back into a request. */
final class SettingsJson {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module());

    private SettingsJson() {
    }

    static String of(DomainRouting routing) {
        return write(DomainRoutingDTO.from(routing));
    }

    /** The body of a {@code PUT /users/{user}/split-routing} that sets {@code routing}. */
    static String of(UserRouting routing) {
        return write(body(routing));
    }

    static Map<String, Object> body(UserRouting routing) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("thirdParty", routing.isThirdParty());
        routing.getForwardedAddresses().ifPresent(addresses ->
            body.put("forwardedAddresses", addresses.stream().map(MailAddress::asString).collect(Collectors.toList())));
        return body;
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Settings that cannot be written as JSON", e);
        }
    }
}
