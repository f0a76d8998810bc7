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
