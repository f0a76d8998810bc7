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
package org.splitdomain.app.distributed;

import org.apache.james.backends.cassandra.components.CassandraModule;
import org.apache.james.blob.api.BlobStoreDAO;
import org.apache.james.blob.cassandra.CassandraBlobModule;
import org.apache.james.blob.cassandra.CassandraBlobStoreDAO;
import org.apache.james.blob.cassandra.CassandraBucketDAO;
import org.apache.james.blob.cassandra.CassandraDefaultBucketDAO;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import com.google.inject.multibindings.Multibinder;

/**
 * Stands for James's {@code BlobStoreModulesChooser.CassandraBlobStoreDAODeclarationModule} with the
 * {@code CassandraBlobStoreDependenciesModule} it installs (distributed flavour, not on Maven Central): blobs in
 * Cassandra, under the memory flavour's de-duplicating blob store, which the mail queue and the mail repositories
 * write through.
 */
public class CassandraBlobStoreDAODeclarationModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(CassandraDefaultBucketDAO.class).in(Scopes.SINGLETON);
        bind(CassandraBucketDAO.class).in(Scopes.SINGLETON);
        bind(CassandraBlobStoreDAO.class).in(Scopes.SINGLETON);
        bind(BlobStoreDAO.class).to(CassandraBlobStoreDAO.class);
        Multibinder.newSetBinder(binder(), CassandraModule.class).addBinding().toInstance(CassandraBlobModule.MODULE);
    }
}
