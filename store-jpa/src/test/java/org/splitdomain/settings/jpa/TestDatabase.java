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
