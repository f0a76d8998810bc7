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

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.dnsservice.api.DNSService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.mailets.verify.RecipientVerifier;
import org.splitdomain.route.RouteResolver;
import org.splitdomain.settings.SplitRoutingStore;

/**
 * The former name of {@link SplitRoutingRcptHandler}, so that an smtpserver.xml written before the rename still starts;
 * it says once, at start-up, which name to write instead.
 *
 * @deprecated name {@code org.splitdomain.smtp.SplitRoutingRcptHandler} in smtpserver.xml
 */
@Deprecated
public class SplitDomainRcptHandler extends SplitRoutingRcptHandler {
    private static final Logger LOGGER = LoggerFactory.getLogger(SplitDomainRcptHandler.class);

    @Inject
    public SplitDomainRcptHandler(RouteResolver routeResolver, SplitRoutingStore store,
                                  RecipientVerifier verifier, DNSService dnsService) {
        super(routeResolver, store, verifier, dnsService);
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        LOGGER.warn("smtpserver.xml names {}, now {}: write the new name, the former one will go", SplitDomainRcptHandler.class.getName(),
            SplitRoutingRcptHandler.class.getName());
        super.init(config);
    }
}
