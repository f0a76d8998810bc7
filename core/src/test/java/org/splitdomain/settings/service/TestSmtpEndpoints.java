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

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;

import org.apache.james.dnsservice.api.InMemoryDNSService;
import org.apache.james.smtpserver.netty.SMTPServerFactory;

/**
 * A server's SMTP endpoints for tests, in the core test-jar: {@link #SELF} resolves to this machine, {@link #PARTNER}
 * to an address of another (TEST-NET-1), and no SMTP server is bound yet (the ports are those configured).
 */
public final class TestSmtpEndpoints {
    public static final String SELF = "self.example.net";
    public static final String PARTNER = "partner.example.net";

    private TestSmtpEndpoints() {
    }

    public static OwnSmtpEndpoints listeningOn(Integer... configuredPorts) {
        return new OwnSmtpEndpoints(unboundServers(), dns(), Set.of(configuredPorts));
    }

    public static SMTPServerFactory unboundServers() {
        SMTPServerFactory smtpServerFactory = mock(SMTPServerFactory.class);
        when(smtpServerFactory.getServers()).thenReturn(List.of());
        return smtpServerFactory;
    }

    public static InMemoryDNSService dns() {
        try {
            return new InMemoryDNSService()
                .registerRecord(SELF, InetAddress.getLoopbackAddress(), SELF)
                .registerRecord(PARTNER, InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 25}), PARTNER);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
