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

import java.net.IDN;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import com.google.common.base.CharMatcher;
import com.google.common.base.Preconditions;
import com.google.common.base.Splitter;
import com.google.common.base.Strings;
import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;

/**
 * The SMTP server of the other system of a split domain: {@code host[:port]}, port 25 by default,
 * with the policy of the sessions opened to it: a {@link RelayTls} level and, optionally, the name
 * of the credential to authenticate with (the secret itself lives in a James configuration file,
 * never in the settings).
 *
 * <p>The host is a DNS name or an IPv4 literal. IPv6 literals are refused: {@code host:port} is how
 * relays are written everywhere (settings, logs, queue tooling), and a bracketed form would be the
 * only exception.</p>
 */
public final class RelayHost {
    public static final int DEFAULT_PORT = 25;
    private static final CharMatcher CREDENTIAL_NAME_CHARS = CharMatcher.inRange('a', 'z')
        .or(CharMatcher.inRange('A', 'Z'))
        .or(CharMatcher.inRange('0', '9'))
        .or(CharMatcher.anyOf(".-_"));
    private static final String STORED_SEPARATOR = ";";
    private static final String STORED_TLS = "tls=";
    private static final String STORED_CREDENTIAL = "credential=";

    public static RelayHost parse(String value) {
        if (Strings.isNullOrEmpty(value) || value.isBlank()) {
            throw new IllegalArgumentException("relay must not be empty");
        }
        // Not trimmed away: a relay pasted with a space is a typo the operator should see, not one we guess the fix of.
        if (CharMatcher.whitespace().matchesAnyOf(value)) {
            throw new IllegalArgumentException("relay '" + value + "': contains a space; write host[:port] with none");
        }
        if (value.contains("://")) {
            throw new IllegalArgumentException("relay '" + value + "': give a host name or IPv4 address and an optional port, "
                + "such as mx.example.com or mx.example.com:25, not a URL");
        }
        if (value.startsWith("[") || value.chars().filter(c -> c == ':').count() > 1) {
            throw new IllegalArgumentException("relay '" + value + "': IPv6 literals are not supported, use a host name");
        }
        if (value.endsWith(":")) {
            throw new IllegalArgumentException("relay '" + value + "': the port is missing after ':'");
        }
        HostAndPort hostAndPort;
        try {
            hostAndPort = HostAndPort.fromString(value);
        } catch (IllegalArgumentException e) {
            String port = value.substring(value.lastIndexOf(':') + 1);
            throw new IllegalArgumentException("relay '" + value + "': " + (port.matches("-?[0-9]+")
                ? "port must be 1-65535"
                : "port '" + port + "' is not a number from 1 to 65535"));
        }
        int port = hostAndPort.getPortOrDefault(DEFAULT_PORT);
        return of(hostAndPort.getHost(), port, value);
    }

    public static RelayHost of(String host, int port) {
        return of(host, port, host + ":" + port);
    }

    /**
     * The form the settings stores keep: {@code host:port}, followed by {@code ;tls=<level>} and
     * {@code ;credential=<name>} when they differ from the defaults, so settings written before
     * relay policies existed read back unchanged.
     */
    public static RelayHost parseStored(String stored) {
        List<String> parts = Splitter.on(STORED_SEPARATOR).splitToList(stored);
        RelayHost relay = parse(parts.get(0));
        RelayTls tls = RelayTls.DEFAULT;
        Optional<String> credential = Optional.empty();
        for (String part : parts.subList(1, parts.size())) {
            if (part.startsWith(STORED_TLS)) {
                tls = RelayTls.parse(part.substring(STORED_TLS.length()));
            } else if (part.startsWith(STORED_CREDENTIAL)) {
                credential = Optional.of(part.substring(STORED_CREDENTIAL.length()));
            } else {
                throw new IllegalArgumentException("relay '" + stored + "': unknown attribute '" + part + "'");
            }
        }
        return relay.withPolicy(tls, credential);
    }

    private static RelayHost of(String host, int port, String original) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("relay '" + original + "': port must be 1-65535");
        }
        String asciiHost = toAscii(host)
            .filter(RelayHost::isValidHost)
            .orElseThrow(() -> new IllegalArgumentException("relay '" + original + "': '" + host + "' is not a valid host name or IPv4 address"));
        if (InetAddresses.isInetAddress(asciiHost) && InetAddresses.forString(asciiHost).isAnyLocalAddress()) {
            throw new IllegalArgumentException("relay '" + original + "': " + asciiHost + " is no address a relay can be reached at "
                + "(it stands for every address of this machine)");
        }
        return new RelayHost(asciiHost.toLowerCase(Locale.US), port, RelayTls.DEFAULT, Optional.empty());
    }

    // An internationalised name is kept in its ASCII (punycode) form: what DNS and SMTP use.
    private static Optional<String> toAscii(String host) {
        try {
            return Optional.of(IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean isValidHost(String host) {
        if (host.isEmpty() || host.length() > 253) {
            return false;
        }
        if (InetAddresses.isInetAddress(host)) {
            return !host.contains(":");
        }
        // A dotted quad that InetAddresses refused (e.g. 300.1.1.1) is a typo, not a host name.
        if (host.matches("[0-9.]+")) {
            return false;
        }
        return InternetDomainName.isValid(host);
    }

    private final String host;
    private final int port;
    private final RelayTls tls;
    private final Optional<String> credential;

    private RelayHost(String host, int port, RelayTls tls, Optional<String> credential) {
        Preconditions.checkNotNull(host);
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.credential = credential;
    }

    /**
     * The same relay with another session policy. A credential is only ever sent encrypted, so it
     * needs {@code encrypt} or {@code verify}: under {@code may} a relay without STARTTLS would get
     * the password in clear.
     */
    public RelayHost withPolicy(RelayTls tls, Optional<String> credential) {
        Preconditions.checkNotNull(tls);
        if (credential.isPresent()) {
            String name = credential.get();
            if (name.isEmpty() || name.length() > 64 || !CREDENTIAL_NAME_CHARS.matchesAllOf(name)) {
                throw new IllegalArgumentException("relay '" + asString() + "': credential '" + name
                    + "' must be 1-64 letters, digits, '.', '-' or '_'");
            }
            if (!tls.isRequired()) {
                throw new IllegalArgumentException("relay '" + asString() + "': credential '" + name
                    + "' needs tls 'encrypt' or 'verify', so that it never travels in clear");
            }
        }
        return new RelayHost(host, port, tls, credential);
    }

    public RelayTls getTls() {
        return tls;
    }

    /** The name of the credential (in the relay credentials file) to authenticate with, if any. */
    public Optional<String> getCredential() {
        return credential;
    }

    public boolean hasDefaultPolicy() {
        return tls == RelayTls.DEFAULT && credential.isEmpty();
    }

    /** The relay in the settings stores' form, see {@link #parseStored}. */
    public String asStored() {
        StringBuilder stored = new StringBuilder(asString());
        if (tls != RelayTls.DEFAULT) {
            stored.append(STORED_SEPARATOR).append(STORED_TLS).append(tls.asString());
        }
        credential.ifPresent(name -> stored.append(STORED_SEPARATOR).append(STORED_CREDENTIAL).append(name));
        return stored.toString();
    }

    public String getHost() {
        return host;
    }

    public int getPort() {
        return port;
    }

    /** {@code host:port}: how settings, logs, metrics and the queue tooling name the relay. */
    public String asString() {
        return host + ":" + port;
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof RelayHost) {
            RelayHost that = (RelayHost) o;
            return port == that.port && host.equals(that.host) && tls == that.tls && credential.equals(that.credential);
        }
        return false;
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, tls, credential);
    }

    @Override
    public String toString() {
        return asStored();
    }
}
