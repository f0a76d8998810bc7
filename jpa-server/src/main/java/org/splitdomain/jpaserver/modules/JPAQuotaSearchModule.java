package org.splitdomain.jpaserver.modules;

import org.apache.james.quota.search.QuotaSearcher;
import org.apache.james.quota.search.scanning.ScanningQuotaSearcher;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;

/** Stands for James's {@code org.apache.james.modules.mailbox.JPAQuotaSearchModule} ({@code server/container/guice/mailbox-jpa}). */
public class JPAQuotaSearchModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(ScanningQuotaSearcher.class).in(Scopes.SINGLETON);
        bind(QuotaSearcher.class).to(ScanningQuotaSearcher.class);
    }
}
