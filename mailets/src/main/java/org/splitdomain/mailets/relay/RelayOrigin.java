package org.splitdomain.mailets.relay;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.mailet.Mail;
import org.splitdomain.settings.RelayHost;

import com.google.common.net.InetAddresses;

/**
 * The second loop signal: the SMTP client that handed us the mail is one of the relays we would hand
 * it back to. Loopback clients are ignored, since servers sharing one host (a demo, a test) share
 * that address and it tells nothing about who sent the mail.
 */
public class RelayOrigin {
    private final DNSService dnsService;

    public RelayOrigin(DNSService dnsService) {
        this.dnsService = dnsService;
    }

    public boolean cameFromOneOf(Mail mail, List<RelayHost> relays) {
        String remoteAddress = mail.getRemoteAddr();
        if (remoteAddress == null || !InetAddresses.isInetAddress(remoteAddress)) {
            return false;
        }
        InetAddress client = InetAddresses.forString(remoteAddress);
        if (client.isLoopbackAddress()) {
            return false;
        }
        return relays.stream().anyMatch(relay -> addressesOf(relay).contains(client));
    }

    private Collection<InetAddress> addressesOf(RelayHost relay) {
        try {
            return dnsService.getAllByName(relay.getHost());
        } catch (UnknownHostException e) {
            return List.of();
        }
    }
}
