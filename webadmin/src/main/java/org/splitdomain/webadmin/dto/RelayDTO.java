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

import java.util.Optional;

import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.RelayTls;
import org.splitdomain.settings.service.SettingsJson;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * One relay of a domain in WebAdmin JSON: {@code "mx2.example.com:25"} when it uses the default
 * session policy (tls {@code may}, no AUTH), else
 * {@code {"relay":"smtp.partner.example:587","tls":"verify","credential":"partner-cloud"}}, where
 * {@code credential} names an entry of the relay credentials file (never the secret itself).
 */
public class RelayDTO {
    public static RelayDTO from(RelayHost relay) {
        return new RelayDTO(relay.asString(), relay.getTls().asString(), relay.getCredential().orElse(null));
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static RelayDTO of(String relay) {
        return new RelayDTO(relay, null, null);
    }

    private final String relay;
    private final String tls;
    private final String credential;

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public RelayDTO(@JsonProperty("relay") String relay,
                    @JsonProperty("tls") String tls,
                    @JsonProperty("credential") String credential) {
        this.relay = relay;
        this.tls = tls;
        this.credential = credential;
    }

    public RelayHost toRelayHost() {
        RelayHost host = RelayHost.parse(Optional.ofNullable(relay)
            .orElseThrow(() -> new IllegalArgumentException("a relay object needs 'relay' (host:port)")));
        RelayTls level = Optional.ofNullable(tls).map(RelayTls::parse).orElse(RelayTls.DEFAULT);
        return host.withPolicy(level, Optional.ofNullable(credential));
    }

    @JsonValue
    public Object json() {
        return SettingsJson.relay(toRelayHost());
    }
}
