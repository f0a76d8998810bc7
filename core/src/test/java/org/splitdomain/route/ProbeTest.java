package org.splitdomain.route;

import org.apache.james.core.MailAddress;
import org.apache.james.rrt.lib.MappingSource;
import org.junit.jupiter.api.Test;

class ProbeTest {
    @Test
    void probe() throws Exception {
        JamesData james = new JamesData().domain("example.com").user("alice@example.com");
        try {
            james.recipientRewriteTable.addRegexMapping(MappingSource.fromUser("weird", "example.com"), "(.*)@example.com:a b c@example.com");
        } catch (Exception e) { System.out.println("PROBE add failed " + e); }
        try {
            System.out.println("PROBE mappings " + james.recipientRewriteTable.getResolvedMappings("weird", org.apache.james.core.Domain.of("example.com")));
        } catch (Exception e) { System.out.println("PROBE resolve failed " + e); }
        try {
            RouteExplanation ex = james.routeResolver.explain(new MailAddress("weird@example.com"));
            System.out.println("PROBE " + ex.getDecisions() + " " + ex.isUnknownEverywhere());
        } catch (Exception e) { System.out.println("PROBE explain failed " + e); }
        System.out.println("PROBE username " + org.apache.james.core.Username.of("Bob@Example.COM").asString());
    }
}
