package org.splitdomain.settings.jpa;

import java.sql.Connection;
import java.sql.SQLException;

/** A database of a test: embedded Derby, or one of the test's PostgreSQL cluster. */
interface TestDatabase {
    /** As a {@code james-database.properties} would name it. */
    SplitRoutingDatabaseConfiguration configuration();

    Connection connect() throws SQLException;

    void drop();
}
