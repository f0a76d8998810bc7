package org.splitdomain.jpaserver.modules;

import org.apache.james.sieve.jpa.JPASieveRepository;
import org.apache.james.sieverepository.api.SieveQuotaRepository;
import org.apache.james.sieverepository.api.SieveRepository;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;

/** Stands for James's {@code org.apache.james.modules.data.SieveJPARepositoryModules} ({@code server/container/guice/sieve-jpa}). */
public class SieveJPARepositoryModules extends AbstractModule {
    @Override
    protected void configure() {
        bind(JPASieveRepository.class).in(Scopes.SINGLETON);
        bind(SieveRepository.class).to(JPASieveRepository.class);
        bind(SieveQuotaRepository.class).to(JPASieveRepository.class);
    }
}
