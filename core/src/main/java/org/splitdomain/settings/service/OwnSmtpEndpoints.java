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

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.apache.james.smtpserver.netty.SMTPServerFactory;
import org.splitdomain.settings.RelayHost;

import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableSet;
import com.google.common.primitives.Ints;

/**
 * Whether a relay is this very server: a host that resolves to one of this machine's addresses, on a
 * port one of our SMTP servers listens on. Such a relay makes every relayed mail come straight back;
 * {@link SettingsWarnings} says so.
 */
public class OwnSmtpEndpoints {
    private final SMTPServerFactory smtpServerFactory;
    private final DNSService dnsService;
    private final Set<Integer> configuredPorts;

    @Inject
    public OwnSmtpEndpoints(SMTPServerFactory smtpServerFactory, DNSService dnsService, ConfigurationProvider configurationProvider) {
        this(smtpServerFactory, dnsService, configuredPorts(configurationProvider));
    }

    public OwnSmtpEndpoints(SMTPServerFactory smtpServerFactory, DNSService dnsService, Set<Integer> configuredPorts) {
        this.smtpServerFactory = smtpServerFactory;
        this.dnsService = dnsService;
        this.configuredPorts = ImmutableSet.copyOf(configuredPorts);
    }

    // The ports written in smtpserver.xml answer before the servers are bound (at start-up); the
    // servers' own addresses answer for ports picked at bind time (port 0).
    private static Set<Integer> configuredPorts(ConfigurationProvider configurationProvider) {
        try {
            return configurationProvider.getConfiguration("smtpserver").configurationsAt("smtpserver").stream()
                .flatMap(server -> Splitter.on(',').trimResults().omitEmptyStrings().splitToStream(server.getString("bind", "")))
                .map(bind -> bind.substring(bind.lastIndexOf(':') + 1))
                .map(Ints::tryParse)
                .filter(Objects::nonNull)
                .filter(port -> port > 0)
                .collect(ImmutableSet.toImmutableSet());
        } catch (ConfigurationException e) {
            return ImmutableSet.of();
        }
    }

    public boolean isOwn(RelayHost relay) {
        return listeningPorts().contains(relay.getPort())
            && addressesOf(relay).stream().anyMatch(OwnSmtpEndpoints::isLocal);
    }

    private Set<Integer> listeningPorts() {
        return Stream.concat(configuredPorts.stream(), smtpServerFactory.getServers().stream()
                .flatMap(server -> server.getListenAddresses().stream())
                .map(InetSocketAddress::getPort))
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
