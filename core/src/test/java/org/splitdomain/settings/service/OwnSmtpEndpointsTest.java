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

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;

import org.apache.james.dnsservice.api.InMemoryDNSService;
import org.apache.james.protocols.lib.netty.AbstractConfigurableAsyncServer;
import org.apache.james.smtpserver.netty.SMTPServerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.splitdomain.settings.RelayHost;

class OwnSmtpEndpointsTest {
    private SMTPServerFactory smtpServerFactory;
    private InMemoryDNSService dns;

    @BeforeEach
    void setUp() {
        smtpServerFactory = TestSmtpEndpoints.unboundServers();
        dns = TestSmtpEndpoints.dns();
    }

    @Test
    void isOwnShouldRecogniseALocalHostOnAConfiguredSmtpPort() {
        OwnSmtpEndpoints endpoints = new OwnSmtpEndpoints(smtpServerFactory, dns, Set.of(25, 587));

        assertThat(endpoints.isOwn(RelayHost.parse("self.example.net:25"))).isTrue();
        assertThat(endpoints.isOwn(RelayHost.parse("self.example.net:2525"))).isFalse();
        assertThat(endpoints.isOwn(RelayHost.parse("partner.example.net:25"))).isFalse();
        assertThat(endpoints.isOwn(RelayHost.parse("unresolvable.example.net:25"))).isFalse();
    }

    @Test
    void isOwnShouldRecogniseAPortPickedWhenTheServerWasBound() {
        AbstractConfigurableAsyncServer server = mock(AbstractConfigurableAsyncServer.class);
        when(server.getListenAddresses()).thenReturn(List.of(new InetSocketAddress("0.0.0.0", 40025)));
        when(smtpServerFactory.getServers()).thenReturn(List.of(server));

        assertThat(new OwnSmtpEndpoints(smtpServerFactory, dns, Set.of()).isOwn(RelayHost.parse("self.example.net:40025"))).isTrue();
    }
}
