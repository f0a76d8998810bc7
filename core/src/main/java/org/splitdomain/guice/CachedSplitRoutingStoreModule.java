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
package org.splitdomain.guice;

import org.splitdomain.settings.CachedSplitRoutingStore;
import org.splitdomain.settings.SharedSplitRoutingStore;
import org.splitdomain.settings.SplitRoutingStore;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;

/**
 * Routing reads settings from this node's copy of the database store. Installed by the modules of
 * the database-backed flavours, which bind {@link SharedSplitRoutingStore}.
 */
public class CachedSplitRoutingStoreModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(CachedSplitRoutingStore.class).in(Scopes.SINGLETON);
        bind(SplitRoutingStore.class).to(CachedSplitRoutingStore.class);
    }
}
