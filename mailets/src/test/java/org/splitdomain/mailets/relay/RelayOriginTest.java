package org.splitdomain.mailets.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;

import org.apache.james.dnsservice.api.InMemoryDNSService;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;
import org.splitdomain.settings.RelayHost;

import com.google.common.collect.ImmutableList;

class RelayOriginTest {
    private final RelayOrigin origin = new RelayOrigin(new InMemoryDNSService()
        .registerRecord("mx.partner.net", InetAddress.getByAddress(new byte[] {10, 0, 0, 7}), "mx.partner.net"));

    RelayOriginTest() throws Exception {
    }

    @Test
    void cameFromOneOfShouldBeTrueWhenTheClientIsARelay() throws Exception {
        assertThat(origin.cameFromOneOf(FakeMail.builder().name("m").remoteAddr("10.0.0.7").build(),
            ImmutableList.of(RelayHost.parse("mx.partner.net")))).isTrue();
    }

    @Test
    void cameFromOneOfShouldBeFalseForAnotherClient() throws Exception {
        assertThat(origin.cameFromOneOf(FakeMail.builder().name("m").remoteAddr("10.0.0.8").build(),
            ImmutableList.of(RelayHost.parse("mx.partner.net")))).isFalse();
    }

    @Test
    void cameFromOneOfShouldIgnoreLoopbackClients() throws Exception {
        assertThat(origin.cameFromOneOf(FakeMail.builder().name("m").remoteAddr("127.0.0.1").build(),
            ImmutableList.of(RelayHost.parse("127.0.0.1:2526")))).isFalse();
    }

    @Test
    void cameFromOneOfShouldBeFalseWhenTheRelayDoesNotResolve() throws Exception {
        assertThat(origin.cameFromOneOf(FakeMail.builder().name("m").remoteAddr("10.0.0.7").build(),
            ImmutableList.of(RelayHost.parse("unknown.partner.net")))).isFalse();
    }
}
