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
package org.splitdomain.mailets;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.IsStartedProbe;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.metrics.api.MetricFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.mailets.relay.RelayClient;
import org.splitdomain.mailets.relay.RelayQueue;
import org.splitdomain.route.RouteResolver;

/**
 * The former name of {@link SplitRoutingRemoteDelivery}, so that a mailetcontainer.xml written before the rename still
 * starts; it says once, at start-up, which name to write instead.
 *
 * @deprecated name {@code org.splitdomain.mailets.SplitRoutingRemoteDelivery} in mailetcontainer.xml
 */
@Deprecated
public class SplitDomainRemoteDelivery extends SplitRoutingRemoteDelivery {
    private static final Logger LOGGER = LoggerFactory.getLogger(SplitDomainRemoteDelivery.class);

    @Inject
    public SplitDomainRemoteDelivery(RouteResolver routeResolver, MetricFactory metricFactory, RelayClient relayClient, RelayQueue relayQueue,
                                     IsStartedProbe jamesStarted, FileSystem fileSystem) {
        super(routeResolver, metricFactory, relayClient, relayQueue, jamesStarted, fileSystem);
    }

    @Override
    public void init() throws MessagingException {
        LOGGER.warn("mailetcontainer.xml names {}, now {}: write the new name, the former one will go", SplitDomainRemoteDelivery.class.getName(),
            SplitRoutingRemoteDelivery.class.getName());
        super.init();
    }
}
