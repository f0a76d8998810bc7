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

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

import javax.persistence.EntityManager;
import javax.persistence.PersistenceException;

import org.apache.james.core.MailAddress;
import org.apache.openjpa.persistence.OpenJPAPersistence;
import org.apache.james.core.Username;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.settings.UserRouting;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.Lists;
import com.google.common.collect.Maps;

/**
 * The rows of {@code JPAUserRouting} written and read in bulk, in SQL that Derby, PostgreSQL and MariaDB all take: an
 * import of a million users as one managed entity each, with a look-up before each, takes minutes; as multi-row
 * statements inside the same transaction, seconds. The tables and columns are those the entity maps.
 */
final class UserRoutingRows {
    private static final Logger LOGGER = LoggerFactory.getLogger(UserRoutingRows.class);
    private static final String USERS = "SPLIT_DOMAIN_USER_ROUTING";
    private static final String ADDRESSES = "SPLIT_DOMAIN_FORWARDED_ADDRESS";
    /** Rows per statement: far below every database's limit on bound parameters (PostgreSQL's is 32 767). */
    private static final int ROWS_PER_STATEMENT = 1_000;
    private static final int LOOK_UP_AT_MOST = 5_000;

    private static final String ADDRESSES_BY_USER = "SPLIT_DOMAIN_FORWARDED_ADDRESS_USER";

    private UserRoutingRows() {
    }

    /**
     * Indexes the forwarded addresses by user, which OpenJPA's schema tool does not do for a collection table: an import
     * replaces the addresses of every user it names, and without the index each of those deletions reads the whole
     * table. Two nodes starting together may both try; the index being there afterwards is what counts.
     */
    static void indexAddressesByUser(EntityManager entityManager) {
        if (addressIndexExists(entityManager)) {
            return;
        }
        try {
            entityManager.getTransaction().begin();
            entityManager.createNativeQuery("CREATE INDEX " + ADDRESSES_BY_USER + " ON " + ADDRESSES + " (USER_NAME)").executeUpdate();
            entityManager.getTransaction().commit();
        } catch (RuntimeException e) {
            if (entityManager.getTransaction().isActive()) {
                entityManager.getTransaction().rollback();
            }
            if (!addressIndexExists(entityManager)) {
                throw e;
            }
        }
    }

    // Databases keep unquoted names in upper case (Derby) or lower case (PostgreSQL): ask for both.
    private static boolean addressIndexExists(EntityManager entityManager) {
        Connection connection = (Connection) OpenJPAPersistence.cast(entityManager).getConnection();
        try {
            DatabaseMetaData metadata = connection.getMetaData();
            for (String table : List.of(ADDRESSES, ADDRESSES.toLowerCase(Locale.ROOT))) {
                try (ResultSet indexes = metadata.getIndexInfo(null, null, table, false, false)) {
                    while (indexes.next()) {
                        if (ADDRESSES_BY_USER.equalsIgnoreCase(indexes.getString("INDEX_NAME"))) {
                            return true;
                        }
                    }
                }
            }
            return false;
        } catch (SQLException e) {
            throw new PersistenceException("Could not read the indexes of " + ADDRESSES, e);
        } finally {
            closeHandle(connection);
        }
    }

    /**
     * Replaces the settings of every user named, on the connection of the caller's transaction: first the rows of those
     * already there are deleted, then every user is inserted. In that order, each statement that selects rows reads
     * only committed rows: rows inserted earlier in the transaction are outside the database's statistics, which would
     * plan the growing table as empty and read it whole at every statement.
     */
    static void replace(EntityManager entityManager, Map<String, UserRouting> users) {
        Connection connection = (Connection) OpenJPAPersistence.cast(entityManager).getConnection();
        try {
            Map<String, UserRouting> current = current(connection, users.keySet());
            // A user whose settings are already those of the import is left alone: running an import again costs reads.
            Map<String, UserRouting> changed = new LinkedHashMap<>();
            List<String> replaced = new ArrayList<>();
            users.forEach((username, routing) -> {
                UserRouting before = current.get(username);
                if (!routing.equals(before)) {
                    changed.put(username, routing);
                    if (before != null) {
                        replaced.add(username);
                    }
                }
            });
            delete(connection, replaced);
            List<Object> userValues = new ArrayList<>(2 * changed.size());
            List<Object> addressValues = new ArrayList<>();
            changed.forEach((username, routing) -> {
                userValues.add(username);
                userValues.add(routing.isThirdParty());
                routing.getForwardedAddresses().ifPresent(addresses -> {
                    int index = 0;
                    for (MailAddress address : addresses) {
                        addressValues.add(username);
                        addressValues.add(index++);
                        addressValues.add(address.asString());
                    }
                });
            });
            insert(connection, USERS + " (USER_NAME, THIRD_PARTY)", 2, userValues);
            insert(connection, ADDRESSES + " (USER_NAME, ADDRESS_INDEX, ADDRESS)", 3, addressValues);
        } catch (SQLException e) {
            throw new PersistenceException("Could not replace the settings of " + users.size() + " users", e);
        } finally {
            closeHandle(connection);
        }
    }

    /** Removes the settings of every user named, in the caller's transaction. */
    static void remove(EntityManager entityManager, List<String> names) {
        if (names.isEmpty()) {
            return;
        }
        Connection connection = (Connection) OpenJPAPersistence.cast(entityManager).getConnection();
        try {
            delete(connection, names);
        } catch (SQLException e) {
            throw new PersistenceException("Could not remove the settings of " + names.size() + " users", e);
        } finally {
            closeHandle(connection);
        }
    }

    private static void delete(Connection connection, List<String> names) throws SQLException {
        for (List<String> part : Lists.partition(names, ROWS_PER_STATEMENT)) {
            update(connection, "DELETE FROM " + ADDRESSES + " WHERE USER_NAME IN (" + placeholders(part.size(), 1) + ")", part);
            update(connection, "DELETE FROM " + USERS + " WHERE USER_NAME IN (" + placeholders(part.size(), 1) + ")", part);
        }
    }

    // One statement prepared once for all the full chunks, so that the database plans it once.
    private static void insert(Connection connection, String into, int columns, List<Object> values) throws SQLException {
        int perStatement = ROWS_PER_STATEMENT * columns;
        try (PreparedStatement full = connection.prepareStatement("INSERT INTO " + into + " VALUES " + placeholders(ROWS_PER_STATEMENT, columns))) {
            for (List<Object> part : Lists.partition(values, perStatement)) {
                if (part.size() == perStatement) {
                    bind(full, part).executeUpdate();
                } else {
                    update(connection, "INSERT INTO " + into + " VALUES " + placeholders(part.size() / columns, columns), part);
                }
            }
        }
    }

    // A large import reads every user's settings once; a small one looks its users up by primary key.
    private static Map<String, UserRouting> current(Connection connection, Set<String> names) throws SQLException {
        if (names.size() > LOOK_UP_AT_MOST) {
            return Maps.filterKeys(read(connection, "", ImmutableList.of()), names::contains);
        }
        Map<String, UserRouting> current = new HashMap<>();
        for (List<String> part : Lists.partition(new ArrayList<>(names), ROWS_PER_STATEMENT)) {
            current.putAll(read(connection, " WHERE u.USER_NAME IN (" + placeholders(part.size(), 1) + ")", part));
        }
        return current;
    }

    private static void update(Connection connection, String sql, List<?> values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, values).executeUpdate();
        }
    }

    // Typed setters: the driver need not work out each value's type, a million times over.
    private static PreparedStatement bind(PreparedStatement statement, List<?> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            if (value instanceof String) {
                statement.setString(i + 1, (String) value);
            } else if (value instanceof Boolean) {
                statement.setBoolean(i + 1, (Boolean) value);
            } else {
                statement.setInt(i + 1, (Integer) value);
            }
        }
        return statement;
    }

    // OpenJPA hands out a handle on its connection: closing the handle leaves the transaction's connection open.
    private static void closeHandle(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOGGER.debug("Could not close a handle on the split-routing store's connection", e);
        }
    }

    /** Every user's settings. */
    static Map<Username, UserRouting> readAll(EntityManager entityManager) {
        Connection connection = (Connection) OpenJPAPersistence.cast(entityManager).getConnection();
        try {
            Map<String, UserRouting> users = read(connection, "", ImmutableList.of());
            ImmutableMap.Builder<Username, UserRouting> byUsername = ImmutableMap.builderWithExpectedSize(users.size());
            users.forEach((username, routing) -> byUsername.put(Username.of(username), routing));
            return byUsername.build();
        } catch (SQLException e) {
            throw new PersistenceException("Could not read the settings of the users", e);
        } finally {
            closeHandle(connection);
        }
    }

    // One statement, so one consistent reading of both tables; addresses come in no particular order, and are put in
    // theirs here, which spares the database a sort of the whole join.
    private static Map<String, UserRouting> read(Connection connection, String where, List<String> values) throws SQLException {
        Map<String, Boolean> thirdParty = new HashMap<>();
        Map<String, SortedMap<Integer, String>> addresses = new HashMap<>();
        try (PreparedStatement query = bind(connection.prepareStatement("SELECT u.USER_NAME, u.THIRD_PARTY, a.ADDRESS_INDEX, a.ADDRESS FROM "
                + USERS + " u LEFT JOIN " + ADDRESSES + " a ON a.USER_NAME = u.USER_NAME" + where), values);
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                String username = rows.getString(1);
                thirdParty.put(username, rows.getBoolean(2));
                String address = rows.getString(4);
                if (address != null) {
                    addresses.computeIfAbsent(username, name -> new TreeMap<>()).put(rows.getInt(3), address);
                }
            }
        }
        Map<String, UserRouting> users = new HashMap<>(thirdParty.size() * 4 / 3 + 1);
        thirdParty.forEach((username, isThirdParty) -> users.put(username,
            toUserRouting(isThirdParty, Optional.ofNullable(addresses.get(username)).map(SortedMap::values))));
        return users;
    }

    private static UserRouting toUserRouting(boolean thirdParty, Optional<Collection<String>> addresses) {
        if (!thirdParty) {
            return UserRouting.internal();
        }
        return addresses.map(UserRouting::thirdPartyOfStored).orElseGet(UserRouting::thirdPartyForAllAddresses);
    }

    private static String placeholders(int rows, int columns) {
        String row = columns == 1 ? "?" : "(" + String.join(", ", Collections.nCopies(columns, "?")) + ")";
        return String.join(", ", Collections.nCopies(rows, row));
    }
}
