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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RelayHostTest {
    @Test
    void parseShouldDefaultToPort25() {
        assertThat(RelayHost.parse("mx2.example.com")).isEqualTo(RelayHost.of("mx2.example.com", 25));
    }

    @ParameterizedTest
    @CsvSource({
        "mx2.example.com:2525, mx2.example.com, 2525",
        "127.0.0.1:25, 127.0.0.1, 25",
        "MX2.Example.COM:587, mx2.example.com, 587",
        "slave, slave, 25",
        "mx:65535, mx, 65535",
        "mx:1, mx, 1"})
    void parseShouldReadHostAndPort(String value, String host, int port) {
        RelayHost relay = RelayHost.parse(value);

        assertThat(relay.getHost()).isEqualTo(host);
        assertThat(relay.getPort()).isEqualTo(port);
    }

    @Test
    void parseShouldKeepInternationalisedNamesInTheirAsciiForm() {
        assertThat(RelayHost.parse("mx.exämple.com:2525").asString()).isEqualTo("mx.xn--exmple-cua.com:2525");
    }

    @Test
    void parseShouldRejectAHostNameLongerThanDnsAllows() {
        String huge = "a".repeat(60) + "." + "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(60) + "." + "e".repeat(60) + ".com";

        assertThatThrownBy(() -> RelayHost.parse(huge))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("is not a valid host name or IPv4 address");
    }

    @Test
    void asStringShouldBeHostColonPort() {
        assertThat(RelayHost.parse("mx2.example.com").asString()).isEqualTo("mx2.example.com:25");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mx:0", "mx:99999", "mx:-1"})
    void parseShouldRejectBadPorts(String value) {
        assertThatThrownBy(() -> RelayHost.parse(value))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("relay '" + value + "': port must be 1-65535");
    }

    @Test
    void parseShouldSayAPortIsNotANumber() {
        assertThatThrownBy(() -> RelayHost.parse("mx:25x"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("relay 'mx:25x': port '25x' is not a number from 1 to 65535");
    }

    @Test
    void parseShouldSayAPortIsMissing() {
        assertThatThrownBy(() -> RelayHost.parse("mx:"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("relay 'mx:': the port is missing after ':'");
    }

    @Test
    void parseShouldSayAUrlIsNotARelay() {
        assertThatThrownBy(() -> RelayHost.parse("smtp://mx.example.com:25"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("relay 'smtp://mx.example.com:25': give a host name or IPv4 address and an optional port, "
                + "such as mx.example.com or mx.example.com:25, not a URL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"300.1.1.1", "bad_host!", "-mx.example.com", "mx..example.com"})
    void parseShouldRejectBadHosts(String value) {
        assertThatThrownBy(() -> RelayHost.parse(value))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("relay '" + value + "'")
            .hasMessageContaining("is not a valid host name or IPv4 address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:25 ", " mx2.example.com", "mx2 .example.com:25", "mx2.example.com:\t25"})
    void parseShouldRejectAValueWithASpace(String value) {
        assertThatThrownBy(() -> RelayHost.parse(value))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("relay '" + value + "': contains a space; write host[:port] with none");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0:25", "0.0.0.0"})
    void parseShouldRejectTheAddressOfEveryInterface(String value) {
        assertThatThrownBy(() -> RelayHost.parse(value))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("relay '" + value + "': 0.0.0.0 is no address a relay can be reached at (it stands for every address of this machine)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[::1]:25", "::1", "2001:db8::1"})
    void parseShouldRejectIpv6Literals(String value) {
        assertThatThrownBy(() -> RelayHost.parse(value))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("relay '" + value + "': IPv6 literals are not supported, use a host name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void parseShouldRejectEmptyValues(String value) {
        assertThatThrownBy(() -> RelayHost.parse(value))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("relay must not be empty");
    }

    @Test
    void relaysShouldBeEqualWhateverTheCase() {
        assertThat(RelayHost.parse("MX2.example.com")).isEqualTo(RelayHost.parse("mx2.EXAMPLE.com:25"));
    }

    @Test
    void parseShouldReadAShortHostWithAPort() {
        RelayHost relay = RelayHost.parse("mx:2525");

        assertThat(relay.getHost()).isEqualTo("mx");
        assertThat(relay.getPort()).isEqualTo(2525);
        assertThat(relay.asString()).isEqualTo("mx:2525");
    }

    @Test
    void parseShouldGivePort25WhenNoneIsWritten() {
        assertThat(RelayHost.parse("mx.example.com").getPort()).isEqualTo(RelayHost.DEFAULT_PORT).isEqualTo(25);
    }

    @Test
    void parseShouldLowerCaseTheHost() {
        assertThat(RelayHost.parse("MX.Example.COM:2525").asString()).isEqualTo("mx.example.com:2525");
    }

    @Test
    void parseShouldRejectNull() {
        assertThatThrownBy(() -> RelayHost.parse(null))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("relay must not be empty");
    }

    @Test
    void parseShouldNameTheValueAndTheAllowedRangeForAnOutOfRangePort() {
        assertThatThrownBy(() -> RelayHost.parse("mx:99999"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'mx:99999'")
            .hasMessageContaining("port must be 1-65535");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -25, 65536})
    void ofShouldRejectPortsOutOfRange(int port) {
        assertThatThrownBy(() -> RelayHost.of("mx", port))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("relay 'mx:" + port + "': port must be 1-65535");
    }

    @Test
    void ofShouldRejectAnInvalidHost() {
        assertThatThrownBy(() -> RelayHost.of("bad_host!", 25))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'bad_host!' is not a valid host name or IPv4 address");
    }

    @Test
    void ofShouldBeEqualToTheParsedForm() {
        assertThat(RelayHost.of("MX.example.com", 2525)).isEqualTo(RelayHost.parse("mx.example.com:2525"));
    }

    @Test
    void relaysShouldDifferByPort() {
        assertThat(RelayHost.parse("mx")).isNotEqualTo(RelayHost.parse("mx:2525"));
    }

    @Test
    void toStringShouldBeTheStoredFormWithItsPolicy() {
        assertThat(RelayHost.parse("127.0.0.1:2525")).hasToString("127.0.0.1:2525");
        assertThat(RelayHost.parse("127.0.0.1:2525").withPolicy(RelayTls.ENCRYPT, Optional.of("partner")))
            .hasToString("127.0.0.1:2525;tls=encrypt;credential=partner");
    }

    @Test
    void parseShouldGiveTheDefaultPolicy() {
        RelayHost relay = RelayHost.parse("mx2.example.com");

        assertThat(relay.getTls()).isEqualTo(RelayTls.MAY);
        assertThat(relay.getCredential()).isEmpty();
        assertThat(relay.hasDefaultPolicy()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mx2.example.com:25", "mx2.example.com:25;tls=none", "mx2.example.com:587;tls=verify;credential=partner-cloud",
        "10.0.0.1:25;tls=encrypt;credential=a.b_c-d"})
    void storedFormShouldReadBackTheSameRelay(String stored) {
        RelayHost relay = RelayHost.parseStored(stored);

        assertThat(relay.asStored()).isEqualTo(stored);
        assertThat(RelayHost.parseStored(relay.asStored())).isEqualTo(relay);
    }

    @Test
    void parseStoredShouldReadSettingsWrittenBeforeRelayPolicies() {
        assertThat(RelayHost.parseStored("mx2.example.com:2525")).isEqualTo(RelayHost.parse("mx2.example.com:2525"));
    }

    @Test
    void parseStoredShouldRejectAnUnknownAttribute() {
        assertThatThrownBy(() -> RelayHost.parseStored("mx:25;port=26"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("relay 'mx:25;port=26': unknown attribute 'port=26'");
    }

    @Test
    void relaysShouldDifferByPolicy() {
        RelayHost relay = RelayHost.parse("mx");

        assertThat(relay.withPolicy(RelayTls.VERIFY, Optional.empty())).isNotEqualTo(relay);
        assertThat(relay.withPolicy(RelayTls.VERIFY, Optional.of("a"))).isNotEqualTo(relay.withPolicy(RelayTls.VERIFY, Optional.of("b")));
        assertThat(relay.withPolicy(RelayTls.MAY, Optional.empty())).isEqualTo(relay);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "may"})
    void withPolicyShouldRefuseACredentialThatCouldTravelInClear(String tls) {
        assertThatThrownBy(() -> RelayHost.parse("mx").withPolicy(RelayTls.parse(tls), Optional.of("partner")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("relay 'mx:25': credential 'partner' needs tls 'encrypt' or 'verify', so that it never travels in clear");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "with space", "semi;colon", "equals=sign", "é"})
    void withPolicyShouldRefuseABadCredentialName(String name) {
        assertThatThrownBy(() -> RelayHost.parse("mx").withPolicy(RelayTls.VERIFY, Optional.of(name)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("relay 'mx:25': credential '" + name + "' must be 1-64 letters, digits, '.', '-' or '_'");
    }

    @Test
    void tlsShouldRefuseAnUnknownLevel() {
        assertThatThrownBy(() -> RelayTls.parse("STARTTLS"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("tls 'STARTTLS' is not one of none, may, encrypt, verify");
    }
}
