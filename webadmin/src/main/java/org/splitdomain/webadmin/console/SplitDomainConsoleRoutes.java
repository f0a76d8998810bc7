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
package org.splitdomain.webadmin.console;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The former name of {@link SplitRoutingConsoleRoutes}, so that a webadmin.properties written before the rename still
 * starts; it says, when James loads it, which name to write instead.
 *
 * @deprecated name {@code org.splitdomain.webadmin.console.SplitRoutingConsoleRoutes} in webadmin.properties' {@code extensions.routes}
 */
@Deprecated
public class SplitDomainConsoleRoutes extends SplitRoutingConsoleRoutes {
    private static final Logger LOGGER = LoggerFactory.getLogger(SplitDomainConsoleRoutes.class);

    public SplitDomainConsoleRoutes() {
        LOGGER.warn("webadmin.properties names {}, now {}: write the new name, the former one will go", SplitDomainConsoleRoutes.class.getName(),
            SplitRoutingConsoleRoutes.class.getName());
    }
}
