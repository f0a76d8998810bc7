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

import org.apache.james.utils.UserDefinedStartable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.settings.SplitRoutingStore;
import org.splitdomain.settings.service.SettingsWarnings;

/**
 * At start-up, warns about every domain whose relay is this server itself: each mail relayed there
 * would come straight back. Name it in {@code extensions.properties}:
 * {@code guice.extension.startable=org.splitdomain.smtp.OwnRelayStartupCheck}.
 */
public class OwnRelayStartupCheck implements UserDefinedStartable {
    private static final Logger LOGGER = LoggerFactory.getLogger(OwnRelayStartupCheck.class);

    private final SplitRoutingStore store;
    private final SettingsWarnings warnings;

    @Inject
    public OwnRelayStartupCheck(SplitRoutingStore store, SettingsWarnings warnings) {
        this.store = store;
        this.warnings = warnings;
    }

    @Override
    public void start() {
        warnings.ownRelays(store.listDomainRoutings()).forEach(LOGGER::warn);
    }
}
