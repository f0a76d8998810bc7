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
package org.splitdomain.benchmarks;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.rrt.lib.AbstractRecipientRewriteTable;
import org.apache.james.rrt.lib.Mapping;
import org.apache.james.rrt.lib.MappingSource;
import org.apache.james.rrt.lib.Mappings;
import org.apache.james.rrt.lib.MappingsImpl;

import com.google.common.collect.ImmutableMap;

/**
 * James's mapping semantics (AbstractRecipientRewriteTable) over a hash index, as the JPA and Cassandra
 * tables look mappings up by source. James's MemoryRecipientRewriteTable scans a list on every lookup
 * and every insert, which at 100 K users would measure that list rather than the routing.
 */
class IndexedRecipientRewriteTable extends AbstractRecipientRewriteTable {
    private final Map<MappingSource, Mappings> mappings = new ConcurrentHashMap<>();

    @Override
    public void addMapping(MappingSource source, Mapping mapping) {
        mappings.merge(source, MappingsImpl.fromMappings(mapping), Mappings::union);
    }

    @Override
    public void removeMapping(MappingSource source, Mapping mapping) {
        mappings.computeIfPresent(source, (key, existing) -> {
            Mappings remaining = existing.remove(mapping);
            return remaining.isEmpty() ? null : remaining;
        });
    }

    @Override
    public Mappings getStoredMappings(MappingSource source) {
        return mappings.getOrDefault(source, MappingsImpl.empty());
    }

    @Override
    public Map<MappingSource, Mappings> getAllMappings() {
        return ImmutableMap.copyOf(mappings);
    }

    @Override
    protected Mappings mapAddress(String user, Domain domain) {
        Mappings forUser = getStoredMappings(MappingSource.fromUser(Username.fromLocalPartWithDomain(user, domain)));
        return forUser.isEmpty() ? getStoredMappings(MappingSource.fromDomain(domain)) : forUser;
    }
}
