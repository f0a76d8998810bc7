package org.splitdomain.webadmin;

import static org.splitdomain.webadmin.RequestParsing.badRequest;
import static org.splitdomain.webadmin.RequestParsing.serverError;

import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.rrt.api.RecipientRewriteTableException;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.route.UserAddresses;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayCredentials;
import org.splitdomain.settings.SplitRoutingStore;
import org.splitdomain.settings.UserRouting;
import org.splitdomain.smtp.OwnSmtpEndpoints;
import org.splitdomain.webadmin.dto.DomainRoutingDTO;
import org.splitdomain.webadmin.dto.DomainRoutingEntry;
import org.splitdomain.webadmin.dto.SplitRoutingSettingsDTO;
import org.splitdomain.webadmin.dto.UserRoutingEntry;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * All settings in one JSON document: to move them between James flavours (memory, JPA,
 * distributed), to back them up, and to load many users at once.
 *
 * <pre>
 * GET  /split-routing/export → 200 {"domains":[{"domain","relays","forwardUnknown"}],"users":[{"username","thirdParty","forwardedAddresses"?}]}
 * POST /split-routing/import   the same document → 200 {"domains":n,"users":m}
 * </pre>
 *
 * <p>The import checks every entry before writing any: one bad entry gets a 400 naming it and
 * nothing is written. It adds and replaces settings; settings it does not mention are kept.</p>
 */
public class SplitRoutingTransferRoutes implements Routes {
    private static final Logger LOGGER = LoggerFactory.getLogger(SplitRoutingTransferRoutes.class);

    public static final String EXPORT_PATH = SplitRoutingRoutes.BASE_PATH + "/export";
    public static final String IMPORT_PATH = SplitRoutingRoutes.BASE_PATH + "/import";

    private final SplitRoutingStore store;
    private final DomainList domainList;
    private final UsersRepository usersRepository;
    private final UserRoutingReader userRoutingReader;
    private final OwnSmtpEndpoints ownSmtpEndpoints;
    private final RelayCredentials credentials;
    private final JsonTransformer jsonTransformer;

    @Inject
    public SplitRoutingTransferRoutes(SplitRoutingStore store, DomainList domainList, UsersRepository usersRepository,
                                      UserAddresses userAddresses, OwnSmtpEndpoints ownSmtpEndpoints, RelayCredentials credentials,
                                      JsonTransformer jsonTransformer) {
        this.store = store;
        this.domainList = domainList;
        this.usersRepository = usersRepository;
        this.userRoutingReader = new UserRoutingReader(userAddresses);
        this.ownSmtpEndpoints = ownSmtpEndpoints;
        this.credentials = credentials;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return SplitRoutingRoutes.BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(EXPORT_PATH, this::export, jsonTransformer);
        service.post(IMPORT_PATH, this::importSettings, jsonTransformer);
    }

    private SplitRoutingSettingsDTO export(Request request, Response response) {
        List<DomainRoutingEntry> domains = store.listDomainRoutings().entrySet().stream()
            .sorted(Map.Entry.comparingByKey(Comparator.comparing(Domain::asString)))
            .map(entry -> new DomainRoutingEntry(entry.getKey().asString(), DomainRoutingDTO.from(entry.getValue())))
            .collect(ImmutableList.toImmutableList());
        List<UserRoutingEntry> users = store.listUserRoutings().entrySet().stream()
            .sorted(Map.Entry.comparingByKey(Comparator.comparing(Username::asString)))
            .map(entry -> UserRoutingEntry.from(entry.getKey(), entry.getValue()))
            .collect(ImmutableList.toImmutableList());
        return new SplitRoutingSettingsDTO(domains, users);
    }

    private Map<String, Integer> importSettings(Request request, Response response) {
        SplitRoutingSettingsDTO settings = RequestParsing.parseBody(SplitRoutingSettingsDTO.class, request);
        Map<Domain, DomainRouting> domains = checkedDomains(settings.getDomains());
        Map<Username, UserRouting> users = checkedUsers(settings.getUsers());

        store.storeAll(domains, users);
        LOGGER.info("Imported split-routing settings of {} domains and {} users", domains.size(), users.size());
        domains.forEach((domain, routing) -> routing.getRelays().stream()
            .filter(ownSmtpEndpoints::isOwn)
            .forEach(relay -> LOGGER.warn("Split routing of {}: {}", domain.asString(), OwnSmtpEndpoints.warning(relay))));
        return ImmutableMap.of("domains", domains.size(), "users", users.size());
    }

    private Map<Domain, DomainRouting> checkedDomains(List<DomainRoutingEntry> entries) {
        Map<Domain, DomainRouting> domains = new LinkedHashMap<>();
        for (int index = 0; index < entries.size(); index++) {
            DomainRoutingEntry entry = entries.get(index);
            String where = "domains[" + index + "]";
            if (entry == null || entry.getDomain() == null) {
                throw badRequest(where + ": 'domain' is mandatory");
            }
            where += " '" + entry.getDomain() + "'";
            Domain domain = parse(where, () -> Domain.of(entry.getDomain()));
            if (!isManaged(domain)) {
                throw badRequest(where + ": domain is not managed by this James server");
            }
            DomainRouting routing = parse(where, () -> credentials.checkDefined(entry.routing().toDomainRouting()));
            if (domains.put(domain, routing) != null) {
                throw badRequest(where + ": domain is listed twice");
            }
        }
        return domains;
    }

    private Map<Username, UserRouting> checkedUsers(List<UserRoutingEntry> entries) {
        Map<Username, UserRouting> users = new LinkedHashMap<>();
        Set<Username> seen = new HashSet<>();
        for (int index = 0; index < entries.size(); index++) {
            UserRoutingEntry entry = entries.get(index);
            String where = "users[" + index + "]";
            if (entry == null || entry.getUsername() == null) {
                throw badRequest(where + ": 'username' is mandatory");
            }
            where += " '" + entry.getUsername() + "'";
            Username username = parse(where, () -> Username.of(entry.getUsername()));
            if (!seen.add(username)) {
                throw badRequest(where + ": user is listed twice");
            }
            if (!exists(username)) {
                throw badRequest(where + ": user does not exist");
            }
            users.put(username, readUserRouting(where, username, entry));
        }
        return users;
    }

    private UserRouting readUserRouting(String where, Username username, UserRoutingEntry entry) {
        try {
            return userRoutingReader.read(username, entry.routing());
        } catch (IllegalArgumentException e) {
            throw badRequest(where + ": " + e.getMessage(), e);
        } catch (UsersRepositoryException | RecipientRewriteTableException e) {
            throw serverError("Cannot read the addresses of user " + username.asString(), e);
        }
    }

    private static <T> T parse(String where, Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw badRequest(where + ": " + e.getMessage(), e);
        }
    }

    private boolean isManaged(Domain domain) {
        try {
            return domainList.containsDomain(domain);
        } catch (DomainListException e) {
            throw serverError("Cannot check domain " + domain.asString(), e);
        }
    }

    private boolean exists(Username username) {
        try {
            return usersRepository.contains(username);
        } catch (UsersRepositoryException e) {
            throw serverError("Cannot check user " + username.asString(), e);
        }
    }
}
