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
package org.splitdomain.smtp;

import javax.inject.Inject;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.apache.james.utils.UserDefinedStartable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says at start-up, as an ERROR naming the file, when a protocol the login guard cannot reach is on. James
 * 3.8.1 builds ManageSieve's login check from its {@code UsersRepository} alone, with no handler an extension
 * can add: there, a user hosted elsewhere still logs in with its password. James starts anyway, since the
 * operator may need it for the users hosted here; the log says what it costs.
 *
 * <pre>
 * guice.extension.startable=org.splitdomain.smtp.OwnRelayStartupCheck,org.splitdomain.smtp.UnguardedProtocolStartupCheck
 * </pre>
 */
public class UnguardedProtocolStartupCheck implements UserDefinedStartable {
    private static final Logger LOGGER = LoggerFactory.getLogger(UnguardedProtocolStartupCheck.class);

    private final ConfigurationProvider configurationProvider;

    @Inject
    public UnguardedProtocolStartupCheck(ConfigurationProvider configurationProvider) {
        this.configurationProvider = configurationProvider;
    }

    @Override
    public void start() {
        try {
            HierarchicalConfiguration<ImmutableNode> manageSieve = configurationProvider.getConfiguration("managesieveserver");
            boolean enabled = manageSieve.configurationsAt("managesieveserver").stream()
                .anyMatch(server -> server.getBoolean("[@enabled]", true));
            if (enabled) {
                LOGGER.error("ManageSieve is on (managesieveserver.xml, <managesieveserver enabled=\"true\">) and the split-domain login guard"
                    + " cannot reach it in James 3.8.1: users hosted on the other system can still log in to it with their password."
                    + " Turn it off on a split-domain server unless you accept that.");
            }
        } catch (ConfigurationException e) {
            LOGGER.warn("Cannot read managesieveserver.xml to check whether ManageSieve, which the login guard cannot reach, is on", e);
        }
    }
}
