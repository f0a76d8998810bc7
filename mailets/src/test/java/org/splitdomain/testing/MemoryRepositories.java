package org.splitdomain.testing;

import java.util.List;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.Protocol;
import org.apache.james.mailrepository.memory.MailRepositoryStoreConfiguration;
import org.apache.james.mailrepository.memory.MemoryMailRepository;
import org.apache.james.mailrepository.memory.MemoryMailRepositoryStore;
import org.apache.james.mailrepository.memory.MemoryMailRepositoryUrlStore;
import org.apache.james.mailrepository.memory.SimpleMailRepositoryLoader;

/** James's mail repositories as the memory flavour has them ({@code memory://}, its default protocol), for the waiting room of tests. */
public final class MemoryRepositories {
    private MemoryRepositories() {
    }

    public static MailRepositoryStore create() {
        MemoryMailRepositoryStore store = new MemoryMailRepositoryStore(new MemoryMailRepositoryUrlStore(), new SimpleMailRepositoryLoader(),
            MailRepositoryStoreConfiguration.forItems(new MailRepositoryStoreConfiguration.Item(List.of(new Protocol("memory")),
                MemoryMailRepository.class.getName(), new BaseHierarchicalConfiguration())));
        try {
            store.init();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return store;
    }
}
