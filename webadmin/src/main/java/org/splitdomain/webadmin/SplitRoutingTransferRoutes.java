package org.splitdomain.webadmin;

import static org.splitdomain.webadmin.RequestParsing.badRequest;
import static org.splitdomain.webadmin.RequestParsing.serverError;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.splitdomain.webadmin.ImportDiff.Change;
import org.splitdomain.settings.RelayCredentials;
import org.splitdomain.settings.SplitRoutingStore;
import org.splitdomain.settings.UserRouting;
import org.splitdomain.settings.service.SettingsWarnings;
import org.splitdomain.webadmin.dto.DomainRoutingDTO;
import org.splitdomain.webadmin.dto.DomainRoutingEntry;
import org.splitdomain.webadmin.dto.SplitRoutingSettingsDTO;
import org.splitdomain.webadmin.dto.UserRoutingEntry;

import com.google.common.collect.ImmutableList;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * All settings in one JSON document: to move them between James flavours (memory, JPA,
 * distributed), to back them up, and to load many users at once.
 *
 * <pre>
 * GET  /split-routing/export → 200 {"domains":[{"domain","relays","forwardUnknown"}],"users":[{"username","thirdParty","forwardedAddresses"?}]}
 * POST /split-routing/import[?mode=merge|replace][&amp;dryRun=true]   the same document
 *      → 200 {"domains":n,"users":m,"mode","dryRun","added","changed","removed","unchanged","warnings"[,"diff"]}
 * </pre>
 *
 * <p>The import checks every entry before writing any: bad entries get one 400 naming each of them, and nothing is
 * written. It adds and replaces settings; settings it does not mention are kept, or removed in replace mode. A dry
 * run writes nothing and answers, entry by entry, what the import would change.</p>
 */
public class SplitRoutingTransferRoutes implements Routes {
    private static final Logger LOGGER = LoggerFactory.getLogger(SplitRoutingTransferRoutes.class);

    public static final String EXPORT_PATH = SplitRoutingRoutes.BASE_PATH + "/export";
    public static final String IMPORT_PATH = SplitRoutingRoutes.BASE_PATH + "/import";

    private final SplitRoutingStore store;
    private final DomainList domainList;
    private final UsersRepository usersRepository;
    private final UserRoutingReader userRoutingReader;
    private final SettingsWarnings settingsWarnings;
    private final SettingsAudit audit;
    private final RelayCredentials credentials;
    private final JsonTransformer jsonTransformer;

    @Inject
    public SplitRoutingTransferRoutes(SplitRoutingStore store, DomainList domainList, UsersRepository usersRepository,
                                      UserAddresses userAddresses, SettingsWarnings settingsWarnings, SettingsAudit audit, RelayCredentials credentials,
                                      JsonTransformer jsonTransformer) {
        this.store = store;
        this.domainList = domainList;
        this.usersRepository = usersRepository;
        this.userRoutingReader = new UserRoutingReader(userAddresses);
        this.settingsWarnings = settingsWarnings;
        this.audit = audit;
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

    private Map<String, Object> importSettings(Request request, Response response) {
        boolean dryRun = RequestParsing.booleanQueryParam(request, "dryRun");
        boolean replace = replaceMode(request.queryParams("mode"));
        SplitRoutingSettingsDTO settings = RequestParsing.parseBody(SplitRoutingSettingsDTO.class, request);
        List<String> errors = new ArrayList<>();
        Map<Domain, DomainRouting> domains = checkedDomains(settings.getDomains(), errors);
        Map<Username, UserRouting> users = checkedUsers(settings.getUsers(), errors);
        if (!errors.isEmpty()) {
            throw badRequest(errors.size() == 1 ? errors.get(0)
                : errors.size() + " entries are invalid, nothing was written: " + String.join("; ", errors));
        }

        Map<Domain, DomainRouting> currentDomains = store.listDomainRoutings();
        ImportDiff<Domain, DomainRouting> domainDiff = new ImportDiff<>(domains, currentDomains, replace, "domain",
            Domain::asString, DomainRoutingDTO::from);
        ImportDiff<Username, UserRouting> userDiff = new ImportDiff<>(users, store.listUserRoutings(), replace, "username",
            Username::asString, SettingsJson::body);
        List<String> warnings = warnings(domains, users, currentDomains, domainDiff);
        String mode = replace ? "replace" : "merge";
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        for (Change change : Change.values()) {
            counts.put(change.asJson(), ImportDiff.counts(domainDiff, userDiff, change));
        }
        if (!dryRun) {
            store.applyAll(domainDiff.writes(), userDiff.writes());
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("mode", mode);
            summary.putAll(counts);
            audit.imported(SettingsAudit.actor(request), domainDiff, userDiff, summary);
            LOGGER.info("Imported split-routing settings ({} mode) of {} domains and {} users: added {}, changed {}, removed {}",
                mode, domains.size(), users.size(), counts.get(Change.ADDED.asJson()), counts.get(Change.CHANGED.asJson()),
                counts.get(Change.REMOVED.asJson()));
            warnings.forEach(warning -> LOGGER.warn("Split-routing import: {}", warning));
        }

        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("domains", domains.size());
        answer.put("users", users.size());
        answer.put("mode", mode);
        answer.put("dryRun", dryRun);
        answer.putAll(counts);
        answer.put("warnings", warnings);
        if (dryRun) {
            List<Map<String, Object>> diff = new ArrayList<>(domainDiff.entries());
            diff.addAll(userDiff.entries());
            answer.put("diff", diff);
        }
        return answer;
    }

    private static boolean replaceMode(String mode) {
        if (mode == null || mode.equals("merge")) {
            return false;
        }
        if (mode.equals("replace")) {
            return true;
        }
        throw badRequest("'mode' must be merge or replace; got '" + mode + "'");
    }

    // A third-party user's domain has relays once the import is written: those it keeps, and those it adds.
    private List<String> warnings(Map<Domain, DomainRouting> domains, Map<Username, UserRouting> users,
                                  Map<Domain, DomainRouting> currentDomains, ImportDiff<Domain, DomainRouting> domainDiff) {
        Set<Domain> withRelays = new HashSet<>(currentDomains.keySet());
        domainDiff.writes().forEach((domain, routing) -> {
            if (routing.isPresent()) {
                withRelays.add(domain);
            } else {
                withRelays.remove(domain);
            }
        });
        return settingsWarnings.ofImport(domains, users, withRelays::contains);
    }

    private Map<Domain, DomainRouting> checkedDomains(List<DomainRoutingEntry> entries, List<String> errors) {
        Map<Domain, DomainRouting> domains = new LinkedHashMap<>();
        for (int index = 0; index < entries.size(); index++) {
            DomainRoutingEntry entry = entries.get(index);
            String where = "domains[" + index + "]";
            if (entry == null || entry.getDomain() == null) {
                errors.add(where + ": 'domain' is mandatory");
                continue;
            }
            String named = where + " '" + entry.getDomain() + "'";
            Optional<Domain> domain = parse(named, () -> Domain.of(entry.getDomain()), errors);
            if (domain.isEmpty()) {
                continue;
            }
            if (!isManaged(domain.get())) {
                errors.add(named + ": domain is not managed by this James server");
                continue;
            }
            Optional<DomainRouting> routing = parse(named, () -> credentials.checkDefined(entry.routing().toDomainRouting()), errors);
            if (routing.isPresent() && domains.put(domain.get(), routing.get()) != null) {
                errors.add(named + ": domain is listed twice");
            }
        }
        return domains;
    }

    private Map<Username, UserRouting> checkedUsers(List<UserRoutingEntry> entries, List<String> errors) {
        Map<Username, UserRouting> users = new LinkedHashMap<>();
        Set<Username> seen = new HashSet<>();
        for (int index = 0; index < entries.size(); index++) {
            UserRoutingEntry entry = entries.get(index);
            String where = "users[" + index + "]";
            if (entry == null || entry.getUsername() == null) {
                errors.add(where + ": 'username' is mandatory");
                continue;
            }
            String named = where + " '" + entry.getUsername() + "'";
            Optional<Username> username = parse(named, () -> Username.of(entry.getUsername()), errors);
            if (username.isEmpty()) {
                continue;
            }
            if (!seen.add(username.get())) {
                errors.add(named + ": user is listed twice");
                continue;
            }
            if (!exists(username.get())) {
                errors.add(named + ": user does not exist");
                continue;
            }
            readUserRouting(named, username.get(), entry, errors).ifPresent(routing -> users.put(username.get(), routing));
        }
        return users;
    }

    private Optional<UserRouting> readUserRouting(String where, Username username, UserRoutingEntry entry, List<String> errors) {
        try {
            return Optional.of(userRoutingReader.read(username, entry.routing()));
        } catch (IllegalArgumentException e) {
            errors.add(where + ": " + e.getMessage());
            return Optional.empty();
        } catch (UsersRepositoryException | RecipientRewriteTableException e) {
            throw serverError("Cannot read the addresses of user " + username.asString(), e);
        }
    }

    private static <T> Optional<T> parse(String where, Supplier<T> parser, List<String> errors) {
        try {
            return Optional.of(parser.get());
        } catch (IllegalArgumentException e) {
            errors.add(where + ": " + e.getMessage());
            return Optional.empty();
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
