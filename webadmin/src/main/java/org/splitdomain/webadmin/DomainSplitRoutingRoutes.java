package org.splitdomain.webadmin;

import java.util.List;

import static org.apache.james.webadmin.Constants.SEPARATOR;
import static org.splitdomain.webadmin.RequestParsing.badRequest;
import static org.splitdomain.webadmin.RequestParsing.notFound;
import static org.splitdomain.webadmin.RequestParsing.serverError;

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.james.webadmin.utils.Responses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayCredentials;
import org.splitdomain.settings.SplitRoutingStore;
import org.splitdomain.settings.service.SettingsWarnings;
import org.splitdomain.webadmin.dto.DomainRoutingDTO;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * Split-routing settings of a domain: its relays and whether it forwards unknown addresses.
 *
 * <pre>
 * PUT    /domains/{domain}/split-routing   {"relays":["mx2.example.com:25",{"relay":"smtp.partner.example:587","tls":"verify","credential":"partner"}],"forwardUnknown":true} → 204
 * GET    /domains/{domain}/split-routing   → 200 the settings, 404 when none
 * DELETE /domains/{domain}/split-routing   → 204
 * </pre>
 */
public class DomainSplitRoutingRoutes implements Routes {
    private static final Logger LOGGER = LoggerFactory.getLogger(DomainSplitRoutingRoutes.class);

    public static final String BASE_PATH = "/domains";
    private static final String DOMAIN_PARAM = ":domain";
    public static final String SPLIT_ROUTING_PATH = BASE_PATH + SEPARATOR + DOMAIN_PARAM + SEPARATOR + "split-routing";

    private final SplitRoutingStore store;
    private final DomainList domainList;
    private final SettingsWarnings settingsWarnings;
    private final SettingsAudit audit;
    private final RelayCredentials credentials;
    private final JsonTransformer jsonTransformer;

    @Inject
    public DomainSplitRoutingRoutes(SplitRoutingStore store, DomainList domainList, SettingsWarnings settingsWarnings, SettingsAudit audit,
                                    RelayCredentials credentials, JsonTransformer jsonTransformer) {
        this.store = store;
        this.domainList = domainList;
        this.settingsWarnings = settingsWarnings;
        this.audit = audit;
        this.credentials = credentials;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        // The relay test under it too.
        RequestParsing.refuseRepeatedQueryParameters(service, SPLIT_ROUTING_PATH, SPLIT_ROUTING_PATH + "/*");
        service.put(SPLIT_ROUTING_PATH, this::store);
        service.get(SPLIT_ROUTING_PATH, this::get, jsonTransformer);
        service.delete(SPLIT_ROUTING_PATH, this::delete);
    }

    private String store(Request request, Response response) throws Exception {
        Domain domain = managedDomain(request);
        DomainRouting routing = toDomainRouting(domain, RequestParsing.parseBody(DomainRoutingDTO.class, request));
        audit.domain(SettingsAudit.actor(request), SettingsAudit.WEBADMIN, domain, () -> store.storeDomainRouting(domain, routing));
        LOGGER.info("Split routing of {} set to {}", domain.asString(), SettingsJson.of(routing));
        List<String> warnings = settingsWarnings.ofDomain(routing);
        warnings.forEach(warning -> LOGGER.warn("Split routing of {}: {}", domain.asString(), warning));
        return SettingsAnswers.written(response, warnings, jsonTransformer);
    }

    private DomainRoutingDTO get(Request request, Response response) {
        Domain domain = managedDomain(request);
        return store.domainRouting(domain)
            .map(DomainRoutingDTO::from)
            .orElseThrow(() -> notFound("Domain '" + domain.asString() + "' has no split-routing settings"));
    }

    private String delete(Request request, Response response) throws Exception {
        Domain domain = RequestParsing.parseDomain(request.params(DOMAIN_PARAM));
        // Settings left behind by a domain since removed from the DomainList can still be cleaned up.
        if (store.domainRouting(domain).isEmpty()) {
            managedDomain(request);
        }
        audit.domain(SettingsAudit.actor(request), SettingsAudit.WEBADMIN, domain, () -> store.deleteDomainRouting(domain));
        LOGGER.info("Split routing of {} removed", domain.asString());
        return Responses.returnNoContent(response);
    }

    private DomainRouting toDomainRouting(Domain domain, DomainRoutingDTO dto) {
        try {
            return credentials.checkDefined(dto.toDomainRouting());
        } catch (IllegalArgumentException e) {
            throw badRequest("Invalid split-routing settings for " + domain.asString() + ": " + e.getMessage(), e);
        }
    }

    private Domain managedDomain(Request request) {
        Domain domain = RequestParsing.parseDomain(request.params(DOMAIN_PARAM));
        try {
            if (!domainList.containsDomain(domain)) {
                throw notFound("Domain '" + domain.asString() + "' is not managed by this James server");
            }
            return domain;
        } catch (DomainListException e) {
            throw serverError("Cannot check domain " + domain.asString(), e);
        }
    }
}
