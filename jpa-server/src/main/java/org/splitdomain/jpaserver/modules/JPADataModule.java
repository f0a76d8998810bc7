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
