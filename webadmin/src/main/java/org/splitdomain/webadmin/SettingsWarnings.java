package org.splitdomain.webadmin;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.rrt.api.RecipientRewriteTableException;
import org.apache.james.user.api.UsersRepositoryException;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.james.webadmin.utils.Responses;
import org.splitdomain.route.RouteResolutionException;
import org.splitdomain.route.UserAddresses;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.UserRouting;
import org.splitdomain.smtp.OwnSmtpEndpoints;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;

import spark.Response;

/**
 * What will go wrong with settings an operator writes, said in the answer of every write (single routes and
 * imports) and in the route explanation, in the same words:
 * <ul>
 *     <li>a relay that is this very server (every mail relayed there comes straight back);</li>
 *     <li>a third-party user whose domain has no relay (its mail stays here);</li>
 *     <li>an alias of a user that forwards all addresses: it reaches the other system unchanged, which must know it.</li>
 * </ul>
 */
public class SettingsWarnings {
    private final OwnSmtpEndpoints ownSmtpEndpoints;
    private final UserAddresses userAddresses;

    @Inject
    public SettingsWarnings(OwnSmtpEndpoints ownSmtpEndpoints, UserAddresses userAddresses) {
        this.ownSmtpEndpoints = ownSmtpEndpoints;
        this.userAddresses = userAddresses;
    }

    public static String aliasRelayedUnchanged(MailAddress alias, Username owner) {
        return alias.asString() + " is relayed unchanged: it is an alias of third-party user " + owner.asString()
            + ", who forwards all addresses, so the other system must know " + alias.asString() + " too. Create it there, or "
            + "forward only the addresses it knows (\"forwardedAddresses\": [\"" + owner.asString() + "\"]): "
            + alias.asString() + " is then rewritten to " + owner.asString() + " before it is relayed";
    }

    public static String withoutRelay(Domain domain) {
        return "hosted on the other system, but domain '" + domain.asString() + "' has no split-routing relays: its mail stays here";
    }

    /** The relays of the domain that are this server. */
    public List<String> ofDomain(DomainRouting routing) {
        return ownSmtpEndpoints.warnings(routing.getRelays());
    }

    /** A third-party user whose domain has no relay, or whose aliases will be relayed unchanged. */
    public List<String> ofUser(Username username, UserRouting routing, Predicate<Domain> hasRelays) {
        return ofUser(username, routing, hasRelays, () -> {
            try {
                return userAddresses.aliasesRelayedUnchanged(username, routing);
            } catch (UsersRepositoryException | RecipientRewriteTableException e) {
                throw new RouteResolutionException("Cannot list the addresses of " + username.asString(), e);
            }
        });
    }

    /** {@link #ofUser} of every user of an import, each warning led by the user it is about; James's mappings are read once. */
    public List<String> ofUsers(Map<Username, UserRouting> routings, Predicate<Domain> hasRelays) {
        Map<Username, Set<MailAddress>> aliases;
        try {
            aliases = userAddresses.aliasesRelayedUnchanged(routings);
        } catch (RecipientRewriteTableException e) {
            throw new RouteResolutionException("Cannot read James's mappings", e);
        }
        return routings.entrySet().stream()
            .flatMap(routing -> ofUser(routing.getKey(), routing.getValue(), hasRelays,
                    () -> aliases.getOrDefault(routing.getKey(), ImmutableSet.of())).stream()
                .map(warning -> "user '" + routing.getKey().asString() + "': " + warning))
            .collect(ImmutableList.toImmutableList());
    }

    // The aliases are asked for only when the user's mail will be relayed: they cost a lookup of James's mappings.
    private static List<String> ofUser(Username username, UserRouting routing, Predicate<Domain> hasRelays,
                                       Supplier<Set<MailAddress>> aliasesRelayedUnchanged) {
        if (!routing.isThirdParty()) {
            return ImmutableList.of();
        }
        return username.getDomainPart()
            .map(domain -> hasRelays.test(domain)
                ? relayedUnchanged(username, aliasesRelayedUnchanged.get())
                : ImmutableList.of(withoutRelay(domain)))
            .orElse(ImmutableList.of());
    }

    /**
     * The answer of a single write: {@code 204} as James's routes answer, or {@code 200 {"warnings":[…]}} when the
     * settings were stored but something will go wrong with them.
     */
    public static String answer(Response response, List<String> warnings, JsonTransformer jsonTransformer) throws JsonProcessingException {
        if (warnings.isEmpty()) {
            return Responses.returnNoContent(response);
        }
        response.status(200);
        response.type("application/json");
        return jsonTransformer.render(ImmutableMap.of("warnings", warnings));
    }

    private static List<String> relayedUnchanged(Username owner, Collection<MailAddress> aliases) {
        return aliases.stream()
            .map(alias -> aliasRelayedUnchanged(alias, owner))
            .collect(ImmutableList.toImmutableList());
    }
}
