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

    /** Mail repositories whose every repository is empty and refuses to store: a waiting room whose database is down. */
    public static MailRepositoryStore refusingToStore() throws Exception {
        org.apache.james.mailrepository.api.MailRepository broken = org.mockito.Mockito.mock(org.apache.james.mailrepository.api.MailRepository.class);
        org.mockito.Mockito.when(broken.store(org.mockito.ArgumentMatchers.any()))
            .thenThrow(new javax.mail.MessagingException("repository down"));
        org.mockito.Mockito.when(broken.list()).thenAnswer(invocation -> java.util.Collections.emptyIterator());
        MailRepositoryStore brokenStore = org.mockito.Mockito.mock(MailRepositoryStore.class);
        org.mockito.Mockito.when(brokenStore.defaultProtocol()).thenReturn(java.util.Optional.of(new Protocol("memory")));
        org.mockito.Mockito.when(brokenStore.select(org.mockito.ArgumentMatchers.any())).thenReturn(broken);
        return brokenStore;
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
