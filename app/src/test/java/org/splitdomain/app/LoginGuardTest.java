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
import static org.splitdomain.app.Mailboxes.PASSWORD;

import org.apache.commons.net.imap.AuthenticatingIMAPClient;
import org.apache.commons.net.pop3.POP3Client;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.google.common.collect.ImmutableMap;

/**
 * Users hosted on the other system cannot use this server, whatever their password; over real
 * SMTP, IMAP and POP3 sockets of a James booted from james-conf/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoginGuardTest {
    private JamesNode james;

    @BeforeAll
    void start() throws Exception {
        // POP3 is off in james-conf; this test turns it on to check its guard.
        james = JamesNode.start("login-guard", ImmutableMap.of("pop3server.xml",
            conf -> JamesNode.edit(conf, "<pop3server enabled=\"false\">", "<pop3server enabled=\"true\">")));
        james.data().addDomain("example.com");
        for (String user : new String[] {"local", "elsewhere", "partly", "covered", "returning-smtp", "returning-imap", "returning-pop3",
            "flagged-later", "old.name", "new.name"}) {
            james.data().addUser(user + "@example.com", PASSWORD);
        }
        james.data().addUserAliasMapping("partly.partner", "example.com", "partly@example.com");
        james.data().addUserAliasMapping("covered.partner", "example.com", "covered@example.com");
        // A third-party user whose domain has no relay: its mail is delivered here, so it may read it.
        james.data().addDomain("norelay.example");
        james.data().addUser("kept@norelay.example", PASSWORD);
        james.putDomainRouting("example.com", "{\"relays\":[\"127.0.0.1:2\"]}");
        james.putUserRouting("elsewhere@example.com", "{\"thirdParty\":true}");
        james.putUserRouting("returning-smtp@example.com", "{\"thirdParty\":true}");
        james.putUserRouting("returning-imap@example.com", "{\"thirdParty\":true}");
        james.putUserRouting("returning-pop3@example.com", "{\"thirdParty\":true}");
        james.putUserRouting("partly@example.com", "{\"thirdParty\":true,\"forwardedAddresses\":[\"partly.partner@example.com\"]}");
        james.putUserRouting("covered@example.com",
            "{\"thirdParty\":true,\"forwardedAddresses\":[\"covered@example.com\",\"covered.partner@example.com\"]}");
        james.putUserRouting("kept@norelay.example", "{\"thirdParty\":true}");
    }

    @AfterAll
    void stop() {
        if (james != null) {
            james.close();
        }
    }

    private String smtpAuth(String user, String password) throws Exception {
        try (SmtpSession session = SmtpSession.connect(james.submissionPort())) {
            return session.tryAuthenticate(user, password);
        }
    }

    @FunctionalInterface
    private interface ImapCommand {
        void run(AuthenticatingIMAPClient client) throws Exception;
    }

    /** Runs one IMAP command on a fresh connection and returns the server's final answer. */
    private String imap(ImapCommand command) throws Exception {
        AuthenticatingIMAPClient client = new AuthenticatingIMAPClient(false);
        client.setTrustManager(TestTls.trustManager());
        client.connect("127.0.0.1", james.imapPort());
        try {
            if (!client.execTLS()) {
                throw new IllegalStateException("STARTTLS refused: " + client.getReplyString());
            }
            command.run(client);
            return client.getReplyString().trim();
        } finally {
            client.disconnect();
        }
    }

    private String imapLogin(String user, String password) throws Exception {
        return imap(client -> client.login(user, password));
    }

    private String imapAuthenticatePlain(String user, String password) throws Exception {
        return imap(client -> client.auth(AuthenticatingIMAPClient.AUTH_METHOD.PLAIN, user, password));
    }

    private String pop3Login(String user, String password) throws Exception {
        POP3Client client = new POP3Client();
        client.connect("127.0.0.1", james.pop3Port());
        try {
            client.login(user, password);
            return client.getReplyString().trim();
        } finally {
            client.disconnect();
        }
    }

    @Test
    void pop3ShouldRefuseAThirdPartyUserExactlyAsAWrongPassword() throws Exception {
        assertThat(pop3Login("elsewhere@example.com", PASSWORD))
            .isEqualTo(pop3Login("local@example.com", "wrong"))
            .startsWith("-ERR");
        assertThat(pop3Login("local@example.com", PASSWORD)).startsWith("+OK");
    }

    @Test
    void removingTheFlagShouldRestorePop3LoginAtOnce() throws Exception {
        assertThat(pop3Login("returning-pop3@example.com", PASSWORD)).startsWith("-ERR");

        james.putUserRouting("returning-pop3@example.com", "{\"thirdParty\":false}");

        assertThat(pop3Login("returning-pop3@example.com", PASSWORD)).startsWith("+OK");
    }

    @Test
    void smtpAuthShouldRefuseAThirdPartyUserExactlyAsAWrongPassword() throws Exception {
        assertThat(smtpAuth("elsewhere@example.com", PASSWORD))
            .isEqualTo(smtpAuth("local@example.com", "wrong"))
            .isEqualTo("535 Authentication Failed");
        assertThat(smtpAuth("local@example.com", PASSWORD)).startsWith("235");
    }

    @Test
    void anExplicitListOfEveryAddressShouldBeRefusedAsMuchAsAllAddresses() throws Exception {
        assertThat(smtpAuth("covered@example.com", PASSWORD)).isEqualTo(smtpAuth("local@example.com", "wrong"));
        assertThat(imapLogin("covered@example.com", PASSWORD)).contains(" NO ");
        assertThat(pop3Login("covered@example.com", PASSWORD)).startsWith("-ERR");
    }

    @Test
    void aFlaggedUserWhoseMailIsDeliveredHereForLackOfARelayShouldKeepItsLogin() throws Exception {
        assertThat(james.explainRoute("kept@norelay.example").getString("decisions[0].rule")).isEqualTo("third-party-without-relay");

        assertThat(imapLogin("kept@norelay.example", PASSWORD)).contains(" OK ");
        assertThat(smtpAuth("kept@norelay.example", PASSWORD)).startsWith("235");
    }

    @Test
    void anSmtpSessionAuthenticatedBeforeItsUserWasFlaggedShouldNoLongerSubmit() throws Exception {
        try (SmtpSession session = SmtpSession.connect(james.submissionPort())) {
            session.authenticate("flagged-later@example.com", PASSWORD);

            james.putUserRouting("flagged-later@example.com", "{\"thirdParty\":true}");

            // What James answers a client that relays without authenticating.
            assertThat(session.mailFrom("flagged-later@example.com")).isEqualTo("530 5.7.1 Authentication Required");
        }
    }

    @Test
    void theOldNameOfARenamedThirdPartyUserShouldNotLogInEither() throws Exception {
        james.putUserRouting("old.name@example.com", "{\"thirdParty\":true}");
        String taskId = james.webAdmin().post("/users/old.name@example.com/rename/new.name@example.com?action=rename")
            .then().statusCode(201).extract().jsonPath().getString("taskId");
        // The new name had the settings before James began moving the user: no moment when it could log in.
        assertThat(james.webAdmin().get("/users/new.name@example.com/split-routing").then().extract().statusCode()).isEqualTo(200);
        james.webAdmin().get("/tasks/" + taskId + "/await").then().statusCode(200);
        Mailboxes.AWAIT.untilAsserted(() -> james.webAdmin().get("/users/new.name@example.com/split-routing").then().statusCode(200));

        // James 3.8.1 renames into an existing account and keeps the old one, with its password; the old
        // name's mail now follows the new name to the relay.
        for (String name : new String[] {"old.name@example.com", "new.name@example.com"}) {
            assertThat(smtpAuth(name, PASSWORD)).isEqualTo(smtpAuth("local@example.com", "wrong"));
            assertThat(imapLogin(name, PASSWORD)).contains(" NO ");
            assertThat(pop3Login(name, PASSWORD)).startsWith("-ERR");
        }
    }

    @Test
    void imapLoginShouldRefuseAThirdPartyUserExactlyAsAWrongPassword() throws Exception {
        String refused = imapLogin("elsewhere@example.com", PASSWORD);
        String wrongPassword = imapLogin("local@example.com", "wrong");

        assertThat(refused).contains(" NO ");
        assertThat(refused.substring(refused.indexOf(" NO "))).isEqualTo(wrongPassword.substring(wrongPassword.indexOf(" NO ")));
        assertThat(imapLogin("local@example.com", PASSWORD)).contains(" OK ");
    }

    @Test
    void imapAuthenticateShouldRefuseAThirdPartyUser() throws Exception {
        assertThat(imapAuthenticatePlain("elsewhere@example.com", PASSWORD)).contains(" NO ");
        assertThat(imapAuthenticatePlain("local@example.com", PASSWORD)).contains(" OK ");
    }

    @Test
    void aThirdPartyUserWithAChosenSubsetKeepsItsMailboxAndItsLogin() throws Exception {
        assertThat(imapLogin("partly@example.com", PASSWORD)).contains(" OK ");
        assertThat(smtpAuth("partly@example.com", PASSWORD)).startsWith("235");
    }

    @Test
    void removingTheFlagShouldRestoreSmtpLoginAtOnce() throws Exception {
        assertThat(smtpAuth("returning-smtp@example.com", PASSWORD)).isEqualTo("535 Authentication Failed");

        james.putUserRouting("returning-smtp@example.com", "{\"thirdParty\":false}");

        assertThat(smtpAuth("returning-smtp@example.com", PASSWORD)).startsWith("235");
    }

    @Test
    void removingTheSettingsShouldRestoreImapLoginAtOnce() throws Exception {
        assertThat(imapLogin("returning-imap@example.com", PASSWORD)).contains(" NO ");

        james.webAdmin().delete("/users/returning-imap@example.com/split-routing").then().statusCode(204);

        assertThat(imapLogin("returning-imap@example.com", PASSWORD)).contains(" OK ");
    }
}
