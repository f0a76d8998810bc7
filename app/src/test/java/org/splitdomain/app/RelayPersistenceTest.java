package org.splitdomain.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.splitdomain.testing.SmtpSink;

import com.google.common.collect.ImmutableMap;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * Mail waiting in the relay queue over a stop and over a crash, on our launcher's JPA server ({@code --flavour jpa}:
 * ActiveMQ on disk, users, domains and settings in Derby on disk). example.com forwards its unknown addresses, so any
 * address of it is relayed.
 */
class RelayPersistenceTest {
    private static final ConditionFactory AWAIT = Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200));
    private static final String PARTNER_ADDRESS = "127.0.0.2";

    private SmtpSink relay;
    private JamesProcess james;

    @AfterEach
    void tearDown() throws Exception {
        if (james != null) {
            james.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    private static Map<String, UnaryOperator<String>> quickRetries(String moreMailetParameters) {
        return ImmutableMap.of("mailetcontainer.xml", conf -> JamesNode.edit(conf,
            "<delayTime>1 minute, 5 minutes, 30 minutes, 2 hours, 6 hours</delayTime>", "<delayTime>1 second</delayTime>",
            "<maxRetries>5</maxRetries>", "<maxRetries>1000</maxRetries>" + moreMailetParameters));
    }

    private JamesProcess startJpaLauncher(String moreMailetParameters) throws Exception {
        james = JamesProcess.prepare("relay-persistence", Flavour.JPA, "127.0.0.1", quickRetries(moreMailetParameters))
            .startLauncher("--flavour", "jpa");
        james.webAdmin().put("/domains/example.com").then().statusCode(204);
        return james;
    }

    private static JsonPath waitingMails(RequestSpecification webAdmin) {
        return JsonPath.from(webAdmin.get("/split-routing/queue/mails").then().statusCode(200).extract().asString());
    }

    @Test
    void mailWaitingForADownRelayShouldSurviveARestartAndGoToTheRelayTheDomainIsThenSwitchedTo() throws Exception {
        String downRelay = PARTNER_ADDRESS + ":" + SmtpSink.freePort(PARTNER_ADDRESS);
        startJpaLauncher("");
        james.webAdmin().body("{\"relays\":[\"" + downRelay + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}")
            .put("/domains/example.com/split-routing").then().statusCode(204);
        SmtpSession.send(james.smtpPort(), "someone@external.org", "Subject: across a restart\r\n\r\nhello\r\n", "carol@example.com");
        AWAIT.untilAsserted(() -> assertThat(waitingMails(james.webAdmin()).getList("retries", Integer.class))
            .singleElement().satisfies(retries -> assertThat(retries).isGreaterThanOrEqualTo(1)));
        james.close();

        relay = SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(0).start();
        james.startLauncher("--flavour", "jpa");
        // Listed at once: the engine read the queue when it started.
        assertThat(waitingMails(james.webAdmin()).getList("recipients.flatten()", String.class)).containsExactly("carol@example.com");

        james.webAdmin().body("{\"relays\":[\"" + relay.relay() + "\"],\"forwardUnknown\":true}")
            .put("/domains/example.com/split-routing").then().statusCode(204);

        AWAIT.untilAsserted(() -> assertThat(relay.received()).singleElement().satisfies(received -> {
            assertThat(received.recipients).containsExactly("carol@example.com");
            assertThat(received.content).contains("Subject: across a restart");
        }));
        AWAIT.untilAsserted(() -> assertThat(waitingMails(james.webAdmin()).getList("name")).isEmpty());
    }

    @Test
    void everyMailQueuedOrBeingDeliveredWhenJamesIsKilledShouldBeDeliveredAfterItsRestart() throws Exception {
        int mails = 40;
        // A slow partner and two connections to it: most mails still wait, two are in the middle of DATA, when James dies.
        relay = SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(0).takingPerMail(Duration.ofMillis(500)).start();
        startJpaLauncher("<maxConnectionsPerRelay>2</maxConnectionsPerRelay>");
        // 40 new recipients from one client: more than recipient verification lets it probe in a minute.
        james.webAdmin().body("{\"relays\":[\"" + relay.relay() + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}")
            .put("/domains/example.com/split-routing").then().statusCode(204);
        for (int i = 0; i < mails; i++) {
            SmtpSession.send(james.smtpPort(), "someone@external.org", "Subject: mail " + i + "\r\n\r\nnumber " + i + "\r\n",
                "user" + i + "@example.com");
        }
        AWAIT.until(() -> relay.received().size() >= 3);

        james.kill();
        int beforeCrash = relay.received().size();
        assertThat(beforeCrash).as("some mails were still to be delivered when James was killed").isLessThan(mails);

        james.startLauncher("--flavour", "jpa");

        AWAIT.untilAsserted(() -> assertThat(deliveredRecipients()).hasSize(mails));
        AWAIT.untilAsserted(() -> assertThat(waitingMails(james.webAdmin()).getList("name")).isEmpty());
        // A mail whose DATA was answered while James died is sent again: at most one per connection in use.
        assertThat(relay.received().size() - mails).isBetween(0, 2);
    }

    private List<String> deliveredRecipients() {
        return relay.received().stream()
            .flatMap(received -> received.recipients.stream())
            .distinct()
            .collect(Collectors.toList());
    }
}
