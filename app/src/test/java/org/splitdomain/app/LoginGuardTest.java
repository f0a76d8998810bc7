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
        for (String user : new String[] {"local", "elsewhere", "partly", "returning-smtp", "returning-imap", "returning-pop3"}) {
            james.data().addUser(user + "@example.com", PASSWORD);
        }
        james.data().addUserAliasMapping("partly.partner", "example.com", "partly@example.com");
        james.putDomainRouting("example.com", "{\"relays\":[\"127.0.0.1:2\"]}");
        james.putUserRouting("elsewhere@example.com", "{\"thirdParty\":true}");
        james.putUserRouting("returning-smtp@example.com", "{\"thirdParty\":true}");
        james.putUserRouting("returning-imap@example.com", "{\"thirdParty\":true}");
        james.putUserRouting("returning-pop3@example.com", "{\"thirdParty\":true}");
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

    @FunctionalInterface
    private interface ImapCommand {
        void run(AuthenticatingIMAPClient client) throws Exception;
    }

    /** Runs one IMAP command on a fresh connection and returns the server's final answer. */
    private String imap(ImapCommand command) throws Exception {
        AuthenticatingIMAPClient client = new AuthenticatingIMAPClient();
        client.connect("127.0.0.1", james.imapPort());
        try {
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
