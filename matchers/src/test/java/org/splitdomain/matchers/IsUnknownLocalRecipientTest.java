package org.splitdomain.matchers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitdomain.route.JamesData.PARTNER;

import org.apache.james.core.MailAddress;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.splitdomain.route.JamesData;

class IsUnknownLocalRecipientTest {
    private JamesData james;
    private IsUnknownLocalRecipient matcher;

    @BeforeEach
    void setUp() throws Exception {
        james = new JamesData()
            .domain("example.com")
            .domain("closed.com")
            .user("alice@example.com")
            .alias("al@example.com", "alice@example.com")
            .groupMember("team@example.com", "alice@example.com")
            .relays("example.com", true, PARTNER)
            .relays("closed.com", false, PARTNER);
        matcher = new IsUnknownLocalRecipient(james.routeResolver);
        matcher.init(FakeMatcherConfig.builder().matcherName("IsUnknownLocalRecipient").build());
    }

    @Test
    void matchShouldReturnUnknownRecipientsOfDomainsThatForwardThem() throws Exception {
        FakeMail mail = FakeMail.builder()
            .name("mail1")
            .recipients("alice@example.com", "al@example.com", "team@example.com", "nobody@example.com",
                "nobody@closed.com", "someone@elsewhere.org")
            .build();

        assertThat(matcher.match(mail)).containsExactly(new MailAddress("nobody@example.com"));
    }

    @Test
    void matchShouldStopMatchingOnceForwardUnknownIsTurnedOff() throws Exception {
        james.relays("example.com", false, PARTNER);

        assertThat(matcher.match(FakeMail.builder().name("mail1").recipients("nobody@example.com").build())).isEmpty();
    }
}
