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
package org.splitdomain.settings.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.james.core.MailAddress;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.UserRouting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;

/**
 * Settings as WebAdmin shows them and takes them back: what the history records, what the logs show (a line an
 * operator can paste back into a request) and what a dry run answers.
 */
public final class SettingsJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SettingsJson() {
    }

    /** The body of a {@code PUT /domains/{domain}/split-routing} that sets {@code routing}. */
    public static String of(DomainRouting routing) {
        return write(body(routing));
    }

    /** The body of a {@code PUT /users/{user}/split-routing} that sets {@code routing}. */
    public static String of(UserRouting routing) {
        return write(body(routing));
    }

    public static Map<String, Object> body(DomainRouting routing) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("relays", routing.getRelays().stream().map(SettingsJson::relay).collect(ImmutableList.toImmutableList()));
        body.put("forwardUnknown", routing.isForwardUnknown());
        body.put("verifyRecipients", routing.isVerifyRecipients());
        return body;
    }

    public static Map<String, Object> body(UserRouting routing) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("thirdParty", routing.isThirdParty());
        routing.getForwardedAddresses().ifPresent(addresses ->
            body.put("forwardedAddresses", addresses.stream().map(MailAddress::asString).collect(Collectors.toList())));
        return body;
    }

    /**
     * {@code "mx2.example.com:25"} for a relay with the default session policy (tls {@code may}, no AUTH), else
     * {@code {"relay":"smtp.partner.example:587","tls":"verify","credential":"partner-cloud"}}: the name of the
     * credential, never its secret.
     */
    public static Object relay(RelayHost relay) {
        if (relay.hasDefaultPolicy()) {
            return relay.asString();
        }
        Map<String, String> object = new LinkedHashMap<>();
        object.put("relay", relay.asString());
        object.put("tls", relay.getTls().asString());
        relay.getCredential().ifPresent(name -> object.put("credential", name));
        return object;
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Settings that cannot be written as JSON", e);
        }
    }
}
