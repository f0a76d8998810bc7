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
package org.splitdomain.settings;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a relay's SMTP session is protected, Postfix's TLS security levels: {@code none} never starts
 * TLS, {@code may} uses STARTTLS when the relay offers it (certificate not checked), {@code encrypt}
 * requires STARTTLS (certificate not checked), {@code verify} requires STARTTLS with a certificate
 * chain trusted by this JVM and naming the relay's host. Under {@code encrypt} and {@code verify} a
 * relay that cannot meet the level gets nothing: the mail waits for a later attempt.
 */
public enum RelayTls {
    NONE, MAY, ENCRYPT, VERIFY;

    public static final RelayTls DEFAULT = MAY;

    public static RelayTls parse(String value) {
        return Arrays.stream(values())
            .filter(level -> level.asString().equals(value))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("tls '" + value + "' is not one of "
                + Arrays.stream(values()).map(RelayTls::asString).collect(Collectors.joining(", "))));
    }

    public String asString() {
        return name().toLowerCase(Locale.US);
    }

    /** Whether mail may only travel encrypted. */
    public boolean isRequired() {
        return this == ENCRYPT || this == VERIFY;
    }
}
