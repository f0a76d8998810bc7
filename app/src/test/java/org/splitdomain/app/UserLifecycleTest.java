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

import java.time.Duration;
import java.util.List;

import org.apache.james.modules.MailboxProbeImpl;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.restassured.path.json.JsonPath;

/** Settings follow what James's own WebAdmin does to users: deletion and rename. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserLifecycleTest {
    private static final String DOMAIN = "people.example";
    private JamesNode james;

    @BeforeAll
    void start() throws Exception {
        james = JamesNode.start("user-lifecycle");
        james.data().addDomain(DOMAIN);
        james.putDomainRouting(DOMAIN, "{\"relays\":[\"127.0.0.1:3\"],\"forwardUnknown\":false}");
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
    void aDeletedUserCreatedAgainShouldNotInheritTheOldSettings() throws Exception {
        james.data().addUser("leaver@" + DOMAIN, "secret");
        james.putUserRouting("leaver@" + DOMAIN, "{\"thirdParty\":true}");
        assertThat(route("leaver@" + DOMAIN).getString("decisions[0].route")).isEqualTo("relay");

        james.webAdmin().delete("/users/leaver@" + DOMAIN).then().statusCode(204);
        james.data().addUser("leaver@" + DOMAIN, "secret");

        james.webAdmin().get("/users/leaver@" + DOMAIN + "/split-routing").then()
            .statusCode(404)
            .body("message", is("User 'leaver@" + DOMAIN + "' has no split-routing settings"));
        assertThat(route("leaver@" + DOMAIN).getString("decisions[0].route")).isEqualTo("local");
    }

    @Test
    void renamingAUserShouldMoveItsSettingsToTheNewName() throws Exception {
        james.data().addUser("old.name@" + DOMAIN, "secret");
        james.data().addUser("new.name@" + DOMAIN, "secret");
        james.data().addUser("bystander@" + DOMAIN, "secret");
        james.data().addUserAliasMapping("nick", DOMAIN, "old.name@" + DOMAIN);
        james.putUserRouting("old.name@" + DOMAIN, "{\"thirdParty\":true,\"forwardedAddresses\":[\"old.name@" + DOMAIN + "\"]}");

        String taskId = james.webAdmin().post("/users/old.name@" + DOMAIN + "/rename/new.name@" + DOMAIN + "?action=rename")
            .then().statusCode(201).extract().jsonPath().getString("taskId");
        james.webAdmin().get("/tasks/" + taskId + "/await").then().statusCode(200).body("status", is("completed"));

        // The new name has the settings from the start of the move; the old name loses them once the task completed.
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            james.webAdmin().get("/users/old.name@" + DOMAIN + "/split-routing").then().statusCode(404));
        james.webAdmin().get("/users/new.name@" + DOMAIN + "/split-routing").then()
            .statusCode(200)
            .body("thirdParty", is(true))
            .body("forwardedAddresses", is(List.of("new.name@" + DOMAIN)));
        // James forwards the old address to the new user, whose settings now send it to the relay.
        assertThat(route("old.name@" + DOMAIN).getString("decisions[0].route")).isEqualTo("relay");
        assertThat(route("new.name@" + DOMAIN).getString("decisions[0].route")).isEqualTo("relay");
        assertThat(route("bystander@" + DOMAIN).getString("decisions[0].route")).isEqualTo("local");
    }

    @Test
    void aRenameThatFailsPartWayShouldNeverLetMailOfAUserHostedElsewhereLandHere() throws Exception {
        String old = "leaving.name@" + DOMAIN;
        String target = "taken.name@" + DOMAIN;
        james.data().addUser(old, "secret");
        james.data().addUser(target, "secret");
        MailboxProbeImpl mailboxes = james.server().getProbe(MailboxProbeImpl.class);
        // Both have an INBOX, and the new one an INBOXtmp: James's mailbox step, which runs after its forward step,
        // moves the existing INBOX aside to INBOXtmp first, and fails.
        mailboxes.createMailbox("#private", old, "INBOX");
        mailboxes.createMailbox("#private", target, "INBOX");
        mailboxes.createMailbox("#private", target, "INBOXtmp");
        james.putUserRouting(old, "{\"thirdParty\":true}");

        String taskId = james.webAdmin().post("/users/" + old + "/rename/" + target + "?action=rename&force")
            .then().statusCode(201).extract().jsonPath().getString("taskId");
        james.webAdmin().get("/tasks/" + taskId + "/await").then().statusCode(200).body("status", is("failed"));
        // What the failed task left behind: James's forward old -> new, and the old account.
        james.webAdmin().get("/address/forwards/" + old).then().statusCode(200)
            .body("mailAddress", org.hamcrest.Matchers.hasItem(target));

        // The copy the new name got when the move began is dropped once the task failed; the old name keeps its settings.
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            james.webAdmin().get("/users/" + target + "/split-routing").then().statusCode(404));
        james.webAdmin().get("/users/" + old + "/split-routing").then().statusCode(200).body("thirdParty", is(true));
        assertThat(route(old).getString("decisions[0].route")).isEqualTo("relay");

        SmtpSession.send(james.smtpPort(), "someone@external.org", "Subject: for the old name\r\n\r\nhello\r\n", old);

        Mailboxes.AWAIT.untilAsserted(() -> assertThat(james.waitingMails().getList("findAll { it.recipients.contains('" + old + "') }"))
            .hasSize(1));
        Mailboxes.AWAIT.untilAsserted(() -> assertThat(james.webAdmin().get("/mailQueues/spool").then().statusCode(200)
            .extract().jsonPath().getLong("size")).isZero());
        assertThat(Mailboxes.messageCount(james, target)).isZero();
    }

    @Test
    void settingsOfAUserDeletedOutsideWebAdminShouldBeHarmlessWhileTheUserIsGone() throws Exception {
        String user = "cli.deleted@" + DOMAIN;
        james.data().addUser(user, "secret");
        james.putUserRouting(user, "{\"thirdParty\":true}");
        assertThat(route(user).getString("decisions[0].route")).isEqualTo("relay");

        // As James's CLI and JMX delete a user: straight from the users repository, WebAdmin never sees it.
        james.data().removeUser(user);

        // Only an existing user's settings apply: the address is unknown like any other, nothing is relayed.
        assertThat(route(user).getString("decisions[0].rule")).isEqualTo("unknown-local");
        try (SmtpSession session = SmtpSession.connect(james.smtpPort())) {
            session.mailFrom("someone@external.org");
            assertThat(session.rcptTo(user)).startsWith("550 5.1.1");
        }
        // Still stored, and still removable; a user created again under that name gets them back (README).
        assertThat(james.webAdmin().get("/split-routing/users").then().statusCode(200).extract().jsonPath().getList("username"))
            .contains(user);
        james.webAdmin().delete("/users/" + user + "/split-routing").then().statusCode(204);
        assertThat(james.webAdmin().get("/split-routing/users").then().statusCode(200).extract().jsonPath().getList("username"))
            .doesNotContain(user);
    }

    @Test
    void aFailedRenameShouldLeaveTheSettingsWhereTheyAre() throws Exception {
        james.data().addUser("stays@" + DOMAIN, "secret");
        james.putUserRouting("stays@" + DOMAIN, "{\"thirdParty\":true}");

        james.webAdmin().post("/users/stays@" + DOMAIN + "/rename/missing@" + DOMAIN + "?action=rename")
            .then().statusCode(400);

        james.webAdmin().get("/users/stays@" + DOMAIN + "/split-routing").then().statusCode(200).body("thirdParty", is(true));
        // The copy the move began with is gone with the refused rename.
        james.webAdmin().get("/split-routing/users").then().statusCode(200)
            .body("username", is(List.of("stays@" + DOMAIN)));
    }
}
