package org.splitdomain.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitdomain.app.Mailboxes.PASSWORD;

import org.apache.commons.net.imap.AuthenticatingIMAPClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Users hosted on the other system cannot use this server, whatever their password; over real
 * SMTP and IMAP sockets of a James booted from james-conf/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoginGuardTest {
    private JamesNode james;

    @BeforeAll
    void start() throws Exception {
        james = JamesNode.start("login-guard");
        james.data().addDomain("example.com");
        for (String user : new String[] {"local", "elsewhere", "partly", "returning-smtp", "returning-imap"}) {
            james.data().addUser(user + "@example.com", PASSWORD);
        }
        james.data().addUserAliasMapping("partly.partner", "example.com", "partly@example.com");
        james.putDomainRouting("example.com", "{\"relays\":[\"127.0.0.1:2\"]}");
        james.putUserRouting("elsewhere@example.com", "{\"thirdParty\":true}");
        james.putUserRouting("returning-smtp@example.com", "{\"thirdParty\":true}");
        james.putUserRouting("returning-imap@example.com", "{\"thirdParty\":true}");
        james.putUserRouting("partly@example.com", "{\"thirdParty\":true,\"forwardedAddresses\":[\"partly.partner@example.com\"]}");
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

    private String imapLogin(String user, String password) throws Exception {
        AuthenticatingIMAPClient client = new AuthenticatingIMAPClient();
        client.connect("127.0.0.1", james.imapPort());
        try {
            client.login(user, password);
            return client.getReplyString().trim();
        } finally {
            client.disconnect();
        }
    }

    private String imapAuthenticatePlain(String user, String password) throws Exception {
        AuthenticatingIMAPClient client = new AuthenticatingIMAPClient();
        client.connect("127.0.0.1", james.imapPort());
        try {
            client.auth(AuthenticatingIMAPClient.AUTH_METHOD.PLAIN, user, password);
            return client.getReplyString().trim();
        } finally {
            client.disconnect();
        }
    }

    @Test
    void smtpAuthShouldRefuseAThirdPartyUserWithTheRightPassword() throws Exception {
        assertThat(smtpAuth("elsewhere@example.com", PASSWORD)).startsWith("535 5.7.8");
        assertThat(smtpAuth("local@example.com", PASSWORD)).startsWith("235");
        assertThat(smtpAuth("local@example.com", "wrong")).startsWith("535");
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
        assertThat(smtpAuth("returning-smtp@example.com", PASSWORD)).startsWith("535 5.7.8");

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
