package org.splitdomain.settings.cassandra;

import static com.datastax.oss.driver.api.querybuilder.QueryBuilder.bindMarker;
import static com.datastax.oss.driver.api.querybuilder.QueryBuilder.deleteFrom;
import static com.datastax.oss.driver.api.querybuilder.QueryBuilder.insertInto;
import static com.datastax.oss.driver.api.querybuilder.QueryBuilder.selectFrom;
import static com.datastax.oss.driver.api.querybuilder.QueryBuilder.update;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

import javax.mail.internet.AddressException;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.SharedSplitRoutingStore;
import org.splitdomain.settings.UserRouting;
import org.splitdomain.settings.cassandra.CassandraSplitRoutingTables.Domains;
import org.splitdomain.settings.cassandra.CassandraSplitRoutingTables.Version;
import org.splitdomain.settings.cassandra.CassandraSplitRoutingTables.Users;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

/**
 * Split-routing settings in the Cassandra keyspace of the distributed James, shared by all its
 * nodes. The tables ({@link CassandraSplitRoutingTables}) must exist before this store is built,
 * because its statements are prepared against them.
 */
public class CassandraSplitRoutingStore implements SharedSplitRoutingStore {
    private static final Logger LOGGER = LoggerFactory.getLogger(CassandraSplitRoutingStore.class);

    private final CqlSession session;
    private final ConsistencyLevel consistency;
    private final PreparedStatement selectDomain;
    private final PreparedStatement selectAllDomains;
    private final PreparedStatement insertDomain;
    private final PreparedStatement deleteDomain;
    private final PreparedStatement selectUser;
    private final PreparedStatement selectAllUsers;
    private final PreparedStatement insertUser;
    private final PreparedStatement deleteUser;
    private final PreparedStatement selectVersion;
    private final PreparedStatement updateVersion;

    /** At {@code QUORUM}, James's own default for its regular reads and writes. */
    public CassandraSplitRoutingStore(CqlSession session) {
        this(session, DefaultConsistencyLevel.QUORUM);
    }

    /**
     * Every read and write at {@code consistency}: with a level that makes reads and writes overlap (QUORUM, as
     * James's {@code cassandra.consistency_level.regular}), a node that sees the new generation reads the new settings.
     */
    public CassandraSplitRoutingStore(CqlSession session, ConsistencyLevel consistency) {
        this.session = session;
        this.consistency = consistency;
        this.selectDomain = session.prepare(selectFrom(Domains.TABLE_NAME)
            .columns(Domains.RELAYS, Domains.FORWARD_UNKNOWN, Domains.VERIFY_RECIPIENTS)
            .whereColumn(Domains.DOMAIN).isEqualTo(bindMarker(Domains.DOMAIN))
            .build());
        this.selectAllDomains = session.prepare(selectFrom(Domains.TABLE_NAME)
            .columns(Domains.DOMAIN, Domains.RELAYS, Domains.FORWARD_UNKNOWN, Domains.VERIFY_RECIPIENTS)
            .build());
        this.insertDomain = session.prepare(insertInto(Domains.TABLE_NAME)
            .value(Domains.DOMAIN, bindMarker(Domains.DOMAIN))
            .value(Domains.RELAYS, bindMarker(Domains.RELAYS))
            .value(Domains.FORWARD_UNKNOWN, bindMarker(Domains.FORWARD_UNKNOWN))
            .value(Domains.VERIFY_RECIPIENTS, bindMarker(Domains.VERIFY_RECIPIENTS))
            .build());
        this.deleteDomain = session.prepare(deleteFrom(Domains.TABLE_NAME)
            .whereColumn(Domains.DOMAIN).isEqualTo(bindMarker(Domains.DOMAIN))
            .build());
        this.selectUser = session.prepare(selectFrom(Users.TABLE_NAME)
            .columns(Users.THIRD_PARTY, Users.FORWARDED_ADDRESSES)
            .whereColumn(Users.USERNAME).isEqualTo(bindMarker(Users.USERNAME))
            .build());
        this.selectAllUsers = session.prepare(selectFrom(Users.TABLE_NAME)
            .columns(Users.USERNAME, Users.THIRD_PARTY, Users.FORWARDED_ADDRESSES)
            .build());
        this.insertUser = session.prepare(insertInto(Users.TABLE_NAME)
            .value(Users.USERNAME, bindMarker(Users.USERNAME))
            .value(Users.THIRD_PARTY, bindMarker(Users.THIRD_PARTY))
            .value(Users.FORWARDED_ADDRESSES, bindMarker(Users.FORWARDED_ADDRESSES))
            .build());
        this.deleteUser = session.prepare(deleteFrom(Users.TABLE_NAME)
            .whereColumn(Users.USERNAME).isEqualTo(bindMarker(Users.USERNAME))
            .build());
        this.selectVersion = session.prepare(selectFrom(Version.TABLE_NAME)
            .column(Version.VERSION)
            .whereColumn(Version.ID).isEqualTo(bindMarker(Version.ID))
            .build());
        this.updateVersion = session.prepare(update(Version.TABLE_NAME)
            .setColumn(Version.VERSION, bindMarker(Version.VERSION))
            .whereColumn(Version.ID).isEqualTo(bindMarker(Version.ID))
            .build());
    }

    @Override
    public Optional<DomainRouting> domainRouting(Domain domain) {
        return Optional.ofNullable(execute(selectDomain.bind()
                .setString(Domains.DOMAIN, domain.asString()))
                .one())
            .map(row -> toDomainRouting(domain, row));
    }

    @Override
    public void storeDomainRouting(Domain domain, DomainRouting routing) {
        written(insertDomain.bind()
            .setString(Domains.DOMAIN, domain.asString())
            .setList(Domains.RELAYS, routing.getRelays().stream().map(RelayHost::asStored).collect(ImmutableList.toImmutableList()), String.class)
            .setBoolean(Domains.FORWARD_UNKNOWN, routing.isForwardUnknown())
            .setBoolean(Domains.VERIFY_RECIPIENTS, routing.isVerifyRecipients()), "domain " + domain.asString());
    }

    @Override
    public void deleteDomainRouting(Domain domain) {
        written(deleteDomain.bind()
            .setString(Domains.DOMAIN, domain.asString()), "domain " + domain.asString());
    }

    @Override
    public Map<Domain, DomainRouting> listDomainRoutings() {
        return StreamSupport.stream(execute(selectAllDomains.bind()).spliterator(), false)
            .map(row -> {
                Domain domain = Domain.of(row.getString(Domains.DOMAIN));
                return Map.entry(domain, toDomainRouting(domain, row));
            })
            .collect(ImmutableMap.toImmutableMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @Override
    public Optional<UserRouting> userRouting(Username username) {
        return Optional.ofNullable(execute(selectUser.bind()
                .setString(Users.USERNAME, username.asString()))
                .one())
            .map(row -> toUserRouting(username, row));
    }

    @Override
    public void storeUserRouting(Username username, UserRouting routing) {
        // "Every address" is an empty list, not null: a null cell is a tombstone, and the reload of every node
        // once a second would read one per such user.
        List<String> forwardedAddresses = routing.getForwardedAddresses()
            .map(addresses -> addresses.stream().map(MailAddress::asString).collect(ImmutableList.toImmutableList()))
            .orElse(ImmutableList.of());
        written(insertUser.bind()
            .setString(Users.USERNAME, username.asString())
            .setBoolean(Users.THIRD_PARTY, routing.isThirdParty())
            .setList(Users.FORWARDED_ADDRESSES, forwardedAddresses, String.class), "user " + username.asString());
    }

    @Override
    public void deleteUserRouting(Username username) {
        written(deleteUser.bind()
            .setString(Users.USERNAME, username.asString()), "user " + username.asString());
    }

    @Override
    public Map<Username, UserRouting> listUserRoutings() {
        return StreamSupport.stream(execute(selectAllUsers.bind()).spliterator(), false)
            .map(row -> {
                Username username = Username.of(row.getString(Users.USERNAME));
                return Map.entry(username, toUserRouting(username, row));
            })
            .collect(ImmutableMap.toImmutableMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private ResultSet execute(BoundStatement statement) {
        return session.execute(statement.setConsistencyLevel(consistency));
    }

    /** Changes at every write: the version row's time-based UUID folded into a long, or 0 before the very first write. */
    @Override
    public long generation() {
        return Optional.ofNullable(execute(selectVersion.bind()
                .setString(Version.ID, Version.SETTINGS_ROW))
                .one())
            .map(row -> row.getUuid(Version.VERSION))
            .map(version -> version.getMostSignificantBits() ^ version.getLeastSignificantBits())
            .orElse(0L);
    }

    // The settings and the new version in one logged batch: both are written or neither, so a write that fails
    // leaves no settings that the other nodes would never reload. A batch is atomic, not isolated: a node may read
    // the new version before the settings; CachedSplitRoutingStore reloads once more a period later for that.
    private void written(BoundStatement write, String what) {
        session.execute(BatchStatement.newInstance(DefaultBatchType.LOGGED,
                write,
                updateVersion.bind()
                    .setString(Version.ID, Version.SETTINGS_ROW)
                    .setUuid(Version.VERSION, Uuids.timeBased()))
            .setConsistencyLevel(consistency));
        LOGGER.debug("Wrote split-routing settings of {}", what);
    }

    private static DomainRouting toDomainRouting(Domain domain, Row row) {
        try {
            List<RelayHost> relays = row.getList(Domains.RELAYS, String.class).stream()
                .map(RelayHost::parseStored)
                .collect(ImmutableList.toImmutableList());
            boolean forwardUnknown = row.getBoolean(Domains.FORWARD_UNKNOWN);
            boolean verifyRecipients = row.isNull(Domains.VERIFY_RECIPIENTS) ? forwardUnknown : row.getBoolean(Domains.VERIFY_RECIPIENTS);
            return DomainRouting.of(relays, forwardUnknown, verifyRecipients);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Stored split-routing settings of domain " + domain.asString() + " are invalid: " + e.getMessage(), e);
        }
    }

    private static UserRouting toUserRouting(Username username, Row row) {
        if (!row.getBoolean(Users.THIRD_PARTY)) {
            return UserRouting.internal();
        }
        List<String> forwardedAddresses = row.getList(Users.FORWARDED_ADDRESSES, String.class);
        // The driver reads a null collection as an empty one, and an empty choice is not allowed:
        // both mean that every address of the user is forwarded.
        if (forwardedAddresses.isEmpty()) {
            return UserRouting.thirdPartyForAllAddresses();
        }
        return UserRouting.thirdParty(forwardedAddresses.stream()
            .map(address -> toMailAddress(username, address))
            .collect(ImmutableList.toImmutableList()));
    }

    private static MailAddress toMailAddress(Username username, String address) {
        try {
            return new MailAddress(address);
        } catch (AddressException e) {
            throw new IllegalStateException("Stored forwarded address '" + address + "' of user " + username.asString() + " is invalid", e);
        }
    }
}
