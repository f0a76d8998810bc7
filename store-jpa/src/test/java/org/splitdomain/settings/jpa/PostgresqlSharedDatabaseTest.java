package org.splitdomain.settings.jpa;

import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresqlSharedDatabaseTest extends SharedDatabaseNodes {
    @RegisterExtension
    static PostgresqlCluster postgresql = new PostgresqlCluster();

    @Override
    TestDatabase createDatabase() {
        return postgresql.createDatabase();
    }
}
