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

import org.splitdomain.relay.InProcessWakeClaims;
import org.splitdomain.relay.WakeClaims;
import org.splitdomain.settings.MemorySplitRoutingStore;
import org.splitdomain.settings.SplitRoutingStore;
import org.splitdomain.settings.history.MemorySettingsHistory;
import org.splitdomain.settings.history.SettingsHistory;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;

/**
 * Split-routing settings kept in memory, for the memory flavour of James. Name it in
 * {@code extensions.properties}: {@code guice.extension.module=org.splitdomain.guice.MemorySplitRoutingModule}.
 * On a James whose users survive a restart (JPA, distributed, LDAP) it stops James at start-up, naming the line to use.
 */
public class MemorySplitRoutingModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(MemorySplitRoutingStore.class).in(Scopes.SINGLETON);
        bind(SplitRoutingStore.class).to(MemorySplitRoutingStore.class);
        bind(SettingsHistory.class).to(MemorySettingsHistory.class).in(Scopes.SINGLETON);
        bind(SettingsStoreMatchesUsers.class).asEagerSingleton();
        // One node wakes the relay engine's waiting room (a memory mail repository): claims in this JVM do.
        bind(WakeClaims.class).to(InProcessWakeClaims.class).in(Scopes.SINGLETON);
    }
}
