package org.splitdomain.smtp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import javax.inject.Inject;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.smtpserver.netty.SMTPServerFactory;
import org.splitdomain.settings.RelayHost;

import com.google.common.collect.ImmutableSet;

/**
 * Whether a relay is this very server: a host that resolves to one of this machine's addresses, on a
 * port one of our SMTP servers listens on. Such a relay makes every relayed mail come straight back.
 */
public class OwnSmtpEndpoints {
    private final SMTPServerFactory smtpServerFactory;
    private final DNSService dnsService;

    @Inject
    public OwnSmtpEndpoints(SMTPServerFactory smtpServerFactory, DNSService dnsService) {
        this.smtpServerFactory = smtpServerFactory;
        this.dnsService = dnsService;
    }

    public boolean isOwn(RelayHost relay) {
        return listeningPorts().contains(relay.getPort())
            && addressesOf(relay).stream().anyMatch(OwnSmtpEndpoints::isLocal);
    }

    private Set<Integer> listeningPorts() {
        return smtpServerFactory.getServers().stream()
            .flatMap(server -> server.getListenAddresses().stream())
            .map(InetSocketAddress::getPort)
            .collect(ImmutableSet.toImmutableSet());
    }

    private Collection<InetAddress> addressesOf(RelayHost relay) {
        try {
            return dnsService.getAllByName(relay.getHost());
        } catch (UnknownHostException e) {
            return List.of();
        }
    }

    private static boolean isLocal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
