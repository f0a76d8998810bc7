package org.splitdomain.webadmin;

import java.util.List;

import static org.apache.james.webadmin.Constants.SEPARATOR;
import static org.splitdomain.webadmin.RequestParsing.badRequest;
import static org.splitdomain.webadmin.RequestParsing.notFound;
import static org.splitdomain.webadmin.RequestParsing.serverError;


import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.rrt.api.RecipientRewriteTableException;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.james.webadmin.utils.Responses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.route.UserAddresses;
import org.splitdomain.settings.SplitRoutingStore;
import org.splitdomain.settings.UserRouting;
import org.splitdomain.settings.service.SettingsWarnings;
import org.splitdomain.webadmin.dto.UserRoutingDTO;
import org.splitdomain.webadmin.dto.UserRoutingResponse;

import com.google.common.collect.ImmutableList;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * Split-routing settings of a user: whether it is a third-party user, and which of its addresses
 * are forwarded to the relay (all of them when {@code forwardedAddresses} is omitted).
 *
 * <pre>
 * PUT    /users/{username}/split-routing   {"thirdParty":true,"forwardedAddresses":["a@example.com"]} → 204, or 200 {"warnings":[…]}
 * GET    /users/{username}/split-routing   → 200 with the effective forwarded addresses, 404 when none
 * DELETE /users/{username}/split-routing   → 204
 * </pre>
 */
public class UserSplitRoutingRoutes implements Routes {
    private static final Logger LOGGER = LoggerFactory.getLogger(UserSplitRoutingRoutes.class);

    public static final String BASE_PATH = "/users";
    private static final String USERNAME_PARAM = ":username";
    public static final String SPLIT_ROUTING_PATH = BASE_PATH + SEPARATOR + USERNAME_PARAM + SEPARATOR + "split-routing";

    private final SplitRoutingStore store;
    private final UsersRepository usersRepository;
    private final UserAddresses userAddresses;
    private final JsonTransformer jsonTransformer;
    private final UserRoutingReader userRoutingReader;
    private final SettingsWarnings settingsWarnings;
    private final SettingsAudit audit;

    @Inject
    public UserSplitRoutingRoutes(SplitRoutingStore store, UsersRepository usersRepository, UserAddresses userAddresses,
                                  SettingsWarnings settingsWarnings, SettingsAudit audit, JsonTransformer jsonTransformer) {
        this.store = store;
        this.settingsWarnings = settingsWarnings;
        this.audit = audit;
        this.usersRepository = usersRepository;
        this.userAddresses = userAddresses;
        this.jsonTransformer = jsonTransformer;
        this.userRoutingReader = new UserRoutingReader(userAddresses);
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        RequestParsing.refuseRepeatedQueryParameters(service, SPLIT_ROUTING_PATH);
        service.put(SPLIT_ROUTING_PATH, this::store);
        service.get(SPLIT_ROUTING_PATH, this::get, jsonTransformer);
        service.delete(SPLIT_ROUTING_PATH, this::delete);
    }

    private String store(Request request, Response response) throws Exception {
        Username username = existingUser(request);
        UserRouting routing = toUserRouting(username, RequestParsing.parseBody(UserRoutingDTO.class, request));
        audit.users(SettingsAudit.actor(request), SettingsAudit.WEBADMIN, List.of(username), () -> store.storeUserRouting(username, routing));
        LOGGER.info("Split routing of user {} set to {}", username.asString(), SettingsJson.of(routing));
        List<String> warnings = settingsWarnings.ofUser(username, routing, domain -> store.domainRouting(domain).isPresent());
        warnings.forEach(warning -> LOGGER.warn("Split routing of user {}: {}", username.asString(), warning));
        return SettingsAnswers.written(response, warnings, jsonTransformer);
    }

    private UserRoutingResponse get(Request request, Response response) throws Exception {
        Username username = existingUser(request);
        UserRouting routing = store.userRouting(username)
            .orElseThrow(() -> notFound("User '" + username.asString() + "' has no split-routing settings"));
        return describe(userAddresses, username, routing).withoutUsername();
    }

    private String delete(Request request, Response response) throws Exception {
        Username username = parseUsername(request);
        // Settings of a user since deleted from James can still be cleaned up.
        if (store.userRouting(username).isEmpty()) {
            existingUser(request);
        }
        audit.users(SettingsAudit.actor(request), SettingsAudit.WEBADMIN, List.of(username), () -> store.deleteUserRouting(username));
        LOGGER.info("Split routing of user {} removed", username.asString());
        return Responses.returnNoContent(response);
    }

    static UserRoutingResponse describe(UserAddresses userAddresses, Username username, UserRouting routing)
        throws UsersRepositoryException, RecipientRewriteTableException {
        return new UserRoutingResponse(username.asString(), routing.isThirdParty(),
            userAddresses.forwarded(username, routing).stream().map(MailAddress::asString).sorted().collect(ImmutableList.toImmutableList()),
            routing.isThirdParty() && routing.forwardsAllAddresses());
    }

    private UserRouting toUserRouting(Username username, UserRoutingDTO dto) throws Exception {
        try {
            return userRoutingReader.read(username, dto);
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage(), e);
        }
    }

    private Username parseUsername(Request request) {
        String value = request.params(USERNAME_PARAM);
        try {
            return Username.of(value);
        } catch (IllegalArgumentException e) {
            throw badRequest("Invalid username '" + value + "': " + e.getMessage(), e);
        }
    }

    private Username existingUser(Request request) {
        Username username = parseUsername(request);
        try {
            if (!usersRepository.contains(username)) {
                throw notFound("User '" + username.asString() + "' does not exist");
            }
            return username;
        } catch (UsersRepositoryException e) {
            throw serverError("Cannot check user " + username.asString(), e);
        }
    }
}
