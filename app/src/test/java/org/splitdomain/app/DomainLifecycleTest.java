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
package org.splitdomain.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.restassured.path.json.JsonPath;

/** Settings follow what James does to domains, through James's own WebAdmin routes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DomainLifecycleTest {
    private JamesNode james;

    @BeforeAll
    void start() throws Exception {
        james = JamesNode.start("lifecycle");
        james.data().addDomain("leaving.example");
        james.putDomainRouting("leaving.example", "{\"relays\":[\"127.0.0.1:3\"],\"forwardUnknown\":true}");
    }

    @AfterAll
    void stop() {
        if (james != null) {
            james.close();
        }
    }

    private JsonPath route(String address) {
        return james.explainRoute(address);
    }

    @Test
    void removingADomainShouldStopItsSplitRouting() {
        assertThat(route("nobody@leaving.example").getString("decisions[0].rule")).isEqualTo("forward-unknown");

        james.webAdmin().delete("/domains/leaving.example").then().statusCode(204);

        assertThat(route("nobody@leaving.example").getString("decisions[0].route")).isEqualTo("remote");
        james.webAdmin().get("/domains/leaving.example/split-routing").then()
            .statusCode(404)
            .body("message", is("Domain 'leaving.example' is not managed by this James server"));
    }

    @Test
    void aDomainRemovedAndAddedAgainShouldNotInheritItsOldRelays() throws Exception {
        james.data().addDomain("returning.example");
        james.putDomainRouting("returning.example", "{\"relays\":[\"127.0.0.1:3\"],\"forwardUnknown\":true}");

        james.webAdmin().delete("/domains/returning.example").then().statusCode(204);
        james.data().addDomain("returning.example");

        james.webAdmin().get("/domains/returning.example/split-routing").then()
            .statusCode(404)
            .body("message", is("Domain 'returning.example' has no split-routing settings"));
        assertThat(route("nobody@returning.example").getString("decisions[0].route")).isEqualTo("reject");
    }
}
