package org.splitdomain.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.james.DefaultUserEntityValidator;
import org.apache.james.RecipientRewriteTableUserEntityValidator;
import org.apache.james.UserEntityValidator;
import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.dnsservice.api.InMemoryDNSService;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.domainlist.memory.MemoryDomainList;
import org.apache.james.rrt.api.RecipientRewriteTableConfiguration;
import org.apache.james.rrt.memory.MemoryRecipientRewriteTable;
import org.apache.james.user.memory.MemoryUsersRepository;
import org.apache.james.webadmin.WebAdminServer;
import org.apache.james.webadmin.WebAdminUtils;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.splitdomain.route.RouteResolver;
import org.splitdomain.route.UserAddresses;
import org.splitdomain.settings.MemorySplitRoutingStore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.specification.RequestSpecification;

/**
 * The James memory backends the split-routing routes run on, wired as in a memory James server,
 * with every split-routing route mounted on one WebAdmin server.
 *
 * <p>Managed domains: {@code example.com}, {@code other.com}. {@code unmanaged.com} is not managed.</p>
 */
final class SplitRoutingTestSystem implements AutoCloseable {
    static final Domain EXAMPLE_COM = Domain.of("example.com");
    static final Domain OTHER_COM = Domain.of("other.com");
    static final Domain UNMANAGED_COM = Domain.of("unmanaged.com");
    static final Username BOB = Username.of("bob@example.com");
    static final Username ALICE = Username.of("alice@example.com");

    private static final ObjectMapper OBJECT_MAPPER = new ObjectMapper();

    final MemoryDomainList domainList;
    final MemoryUsersRepository usersRepository;
    final MemoryRecipientRewriteTable recipientRewriteTable;
    final MemorySplitRoutingStore store;
    final UserAddresses userAddresses;
    final RouteResolver routeResolver;
    final WebAdminServer webAdminServer;

    SplitRoutingTestSystem() throws Exception {
        domainList = new MemoryDomainList(new InMemoryDNSService());
        domainList.configure(DomainListConfiguration.builder()
            .autoDetect(false)
            .autoDetectIp(false)
            .build());
        domainList.addDomain(EXAMPLE_COM);
        domainList.addDomain(OTHER_COM);

        usersRepository = MemoryUsersRepository.withVirtualHosting(domainList);
        usersRepository.addUser(BOB, "secret");
        usersRepository.addUser(ALICE, "secret");

        recipientRewriteTable = new MemoryRecipientRewriteTable();
        recipientRewriteTable.setDomainList(domainList);
        recipientRewriteTable.setConfiguration(RecipientRewriteTableConfiguration.DEFAULT_ENABLED);
        recipientRewriteTable.setUsersRepository(usersRepository);
        recipientRewriteTable.setUserEntityValidator(UserEntityValidator.aggregate(
            new DefaultUserEntityValidator(usersRepository),
            new RecipientRewriteTableUserEntityValidator(recipientRewriteTable)));

        store = new MemorySplitRoutingStore();
        userAddresses = new UserAddresses(usersRepository, recipientRewriteTable);
        routeResolver = new RouteResolver(domainList, usersRepository, recipientRewriteTable, store);

        JsonTransformer jsonTransformer = new JsonTransformer();
        webAdminServer = WebAdminUtils.createWebAdminServer(
                new DomainSplitRoutingRoutes(store, domainList, jsonTransformer),
                new UserSplitRoutingRoutes(store, usersRepository, userAddresses, jsonTransformer),
                new SplitRoutingRoutes(store, userAddresses, routeResolver, jsonTransformer))
            .start();
    }

    RequestSpecification requestSpecification() {
        return WebAdminUtils.buildRequestSpecification(webAdminServer).build();
    }

    @Override
    public void close() {
        webAdminServer.destroy();
    }

    /** Semantic JSON equality: object members in any order, array elements in order. */
    static void assertJsonEquals(String actual, String expected) {
        try {
            assertThat(OBJECT_MAPPER.readTree(actual))
                .as("JSON %s", actual)
                .isEqualTo(OBJECT_MAPPER.readTree(expected));
        } catch (JsonProcessingException e) {
            throw new AssertionError("Not JSON: " + actual, e);
        }
    }
}
