package org.splitdomain.settings;

import java.net.IDN;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import com.google.common.base.Preconditions;
import com.google.common.base.Strings;
import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;

/**
 * The SMTP server of the other system of a split domain: {@code host[:port]}, port 25 by default.
 *
 * <p>The host is a DNS name or an IPv4 literal. IPv6 literals are refused because James's
 * RemoteDelivery, which speaks SMTP for us, splits its {@code gateway} entries on the first colon.</p>
 */
public final class RelayHost {
    public static final int DEFAULT_PORT = 25;

    public static RelayHost parse(String value) {
        if (Strings.isNullOrEmpty(value) || value.isBlank()) {
            throw new IllegalArgumentException("relay must not be empty");
        }
        String trimmed = value.trim();
        if (trimmed.startsWith("[") || trimmed.chars().filter(c -> c == ':').count() > 1) {
            throw new IllegalArgumentException("relay '" + value + "': IPv6 literals are not supported, use a host name");
        }
        if (trimmed.endsWith(":")) {
            throw new IllegalArgumentException("relay '" + value + "': port must be 1-65535");
        }
        HostAndPort hostAndPort;
        try {
            hostAndPort = HostAndPort.fromString(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("relay '" + value + "': port must be 1-65535");
        }
        int port = hostAndPort.getPortOrDefault(DEFAULT_PORT);
        return of(hostAndPort.getHost(), port, value);
    }

    public static RelayHost of(String host, int port) {
        return of(host, port, host + ":" + port);
    }

    private static RelayHost of(String host, int port, String original) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("relay '" + original + "': port must be 1-65535");
        }
        String asciiHost = toAscii(host)
            .filter(RelayHost::isValidHost)
            .orElseThrow(() -> new IllegalArgumentException("relay '" + original + "': '" + host + "' is not a valid host name or IPv4 address"));
        return new RelayHost(asciiHost.toLowerCase(Locale.US), port);
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

    private RelayHost(String host, int port) {
        Preconditions.checkNotNull(host);
        this.host = host;
        this.port = port;
    }

    public String getHost() {
        return host;
    }

    public int getPort() {
        return port;
    }

    /** The {@code host:port} form, as James's RemoteDelivery expects in its {@code gateway} parameter. */
    public String asString() {
        return host + ":" + port;
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof RelayHost) {
            RelayHost that = (RelayHost) o;
            return port == that.port && host.equals(that.host);
        }
        return false;
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port);
    }

    @Override
    public String toString() {
        return asString();
    }
}
