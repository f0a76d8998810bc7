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
