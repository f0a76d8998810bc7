package org.splitdomain.webadmin;

import static org.splitdomain.webadmin.RequestParsing.badRequest;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.inject.Inject;
import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.splitdomain.route.RouteDecision;
import org.splitdomain.route.RouteExplanation;
import org.splitdomain.route.RouteResolver;
import org.splitdomain.route.RouteRule;
import org.splitdomain.route.UserAddresses;
import org.splitdomain.settings.SplitRoutingStore;
import org.splitdomain.smtp.OwnSmtpEndpoints;
import org.splitdomain.settings.UserRouting;
import org.splitdomain.webadmin.dto.DomainRoutingDTO;
import org.splitdomain.webadmin.dto.DomainRoutingEntry;
import org.splitdomain.webadmin.dto.RouteExplanationDTO;
import org.splitdomain.webadmin.dto.UserRoutingResponse;

import com.google.common.base.Strings;
import com.google.common.collect.ImmutableList;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * Everything that is set, and where a given address would be routed right now.
 *
 * <pre>
 * GET /split-routing/domains                     → 200 [{"domain","relays","forwardUnknown"}]
 * GET /split-routing/users                       → 200 [{"username","thirdParty","forwardedAddresses","forwardsAllAddresses"}]
 * GET /split-routing/route?address=a@example.com → 200 the route decision, computed by the code the matchers use
 * </pre>
 */
public class SplitRoutingRoutes implements Routes {
    public static final String BASE_PATH = "/split-routing";
    public static final String DOMAINS_PATH = BASE_PATH + "/domains";
    public static final String USERS_PATH = BASE_PATH + "/users";
    public static final String ROUTE_PATH = BASE_PATH + "/route";

    private final SplitRoutingStore store;
    private final UserAddresses userAddresses;
    private final RouteResolver routeResolver;
    private final OwnSmtpEndpoints ownSmtpEndpoints;
    private final JsonTransformer jsonTransformer;

    @Inject
    public SplitRoutingRoutes(SplitRoutingStore store, UserAddresses userAddresses, RouteResolver routeResolver,
                              OwnSmtpEndpoints ownSmtpEndpoints, JsonTransformer jsonTransformer) {
        this.store = store;
        this.userAddresses = userAddresses;
        this.routeResolver = routeResolver;
        this.ownSmtpEndpoints = ownSmtpEndpoints;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(DOMAINS_PATH, this::listDomains, jsonTransformer);
        service.get(USERS_PATH, this::listUsers, jsonTransformer);
        service.get(ROUTE_PATH, this::explain, jsonTransformer);
    }

    private List<DomainRoutingEntry> listDomains(Request request, Response response) {
        return store.listDomainRoutings().entrySet().stream()
            .sorted(Map.Entry.comparingByKey((a, b) -> a.asString().compareTo(b.asString())))
            .map(entry -> new DomainRoutingEntry(entry.getKey().asString(), DomainRoutingDTO.from(entry.getValue())))
            .collect(ImmutableList.toImmutableList());
    }

    private List<UserRoutingResponse> listUsers(Request request, Response response) throws Exception {
        ImmutableList.Builder<UserRoutingResponse> users = ImmutableList.builder();
        for (Map.Entry<Username, UserRouting> entry : sortedUsers()) {
            users.add(UserSplitRoutingRoutes.describe(userAddresses, entry.getKey(), entry.getValue()));
        }
        return users.build();
    }

    private List<Map.Entry<Username, UserRouting>> sortedUsers() {
        return store.listUserRoutings().entrySet().stream()
            .sorted(Map.Entry.comparingByKey((a, b) -> a.asString().compareTo(b.asString())))
            .collect(ImmutableList.toImmutableList());
    }

    private RouteExplanationDTO explain(Request request, Response response) {
        String value = request.queryParams("address");
        if (Strings.isNullOrEmpty(value)) {
            throw badRequest("'address' query parameter is mandatory");
        }
        MailAddress address;
        try {
            address = new MailAddress(value);
        } catch (AddressException e) {
            throw badRequest("'" + value + "' is not a valid mail address: " + e.getMessage(), e);
        }
        RouteExplanation explanation = routeResolver.explain(address);
        ImmutableList<String> warnings = Stream.concat(
                explanation.getDecisions().stream()
                    .filter(decision -> decision.getRule() == RouteRule.THIRD_PARTY_WITHOUT_RELAY)
                    .map(RouteDecision::getReason),
                explanation.getDecisions().stream()
                    .flatMap(decision -> decision.getRelays().stream())
                    .distinct()
                    .filter(ownSmtpEndpoints::isOwn)
                    .map(OwnSmtpEndpoints::warning))
            .collect(ImmutableList.toImmutableList());
        return RouteExplanationDTO.from(explanation, warnings);
    }
}
