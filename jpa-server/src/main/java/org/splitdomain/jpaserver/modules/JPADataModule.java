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
package org.splitdomain.jpaserver.modules;

import org.apache.james.CoreDataModule;

import com.google.inject.AbstractModule;

/**
 * Stands for James's {@code org.apache.james.modules.data.JPADataModule}
 * ({@code server/container/guice/jpa-common}): domains, RecipientRewriteTable and mail repositories on JPA.
 */
public class JPADataModule extends AbstractModule {
    @Override
    protected void configure() {
        install(new CoreDataModule());
        install(new JPADomainListModule());
        install(new JPARecipientRewriteTableModule());
        install(new JPAMailRepositoryModule());
    }
}
