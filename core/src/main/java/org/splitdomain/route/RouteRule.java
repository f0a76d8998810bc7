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
package org.splitdomain.route;

/** The routing rule that took a decision, named as in the README's routing table. */
public enum RouteRule {
    THIRD_PARTY("third-party"),
    THIRD_PARTY_AFTER_MAPPING("third-party-after-mapping"),
    THIRD_PARTY_WITHOUT_RELAY("third-party-without-relay"),
    FORWARD_UNKNOWN("forward-unknown"),
    LOCAL_USER("local-user"),
    MAPPING_ERROR("mapping-error"),
    UNKNOWN_LOCAL("unknown-local"),
    REMOTE_DOMAIN("remote-domain");

    private final String value;

    RouteRule(String value) {
        this.value = value;
    }

    public String asString() {
        return value;
    }
}
