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
