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
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.splitdomain.app.Mailboxes.AWAIT;
import static org.splitdomain.app.Mailboxes.PASSWORD;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.splitdomain.testing.SmtpSink;
import org.splitdomain.testing.TestCertificates;

import com.google.common.collect.ImmutableMap;

import io.restassured.path.json.JsonPath;

/**
 * The console in Debian's chromium, driven as an administrator would, every change checked in WebAdmin and in mail:
 * a split domain added with its relay's TLS level and credential, then edited and removed; a user flagged for one of
 * its addresses and unflagged once the console has said what that does; a waiting mail's next attempt and last error
 * read, the mail retried, or removed with a DSN to its sender; the health of every check with its cause; the history
 * filtered. The README's screenshot is refreshed from the one this test takes (app/target/console.png).
 *
 * <p>This James has no loop secret (the degradation the health section must show); its partners are on 127.0.0.2, one
 * plain, one that requires STARTTLS and AUTH.</p>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleTest {
    private static final String PARTNER_ADDRESS = "127.0.0.2";
    private static final String CREDENTIAL = "partner-cloud";
    private static final String SECRET = "the-partner-cloud-secret";
    private static final String LOOP_SECRET_LINE = "<loopSecretFile>file://conf/split-domain-loop.secret</loopSecretFile>";
    // Under target/, never over the tracked docs/console.png: the README's screenshot is refreshed from it by hand
    // (docs/console.png: see "The console" in the README).
    private static final Path SCREENSHOT = JamesNode.JAMES_CONF.getParent().resolve("app").resolve("target").resolve("console.png");

    private JamesNode james;
    private TestCertificates certificates;
    private SmtpSink partner;
    private SmtpSink securePartner;
    private ChromeDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    void start() throws Exception {
        // .ci/run installs them; a bare `mvn verify` without them skips these tests, and says so.
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")) && Files.isExecutable(Path.of("/usr/bin/chromedriver")),
            "Debian's chromium and chromium-driver are not installed: the console is not tested in a browser");
        james = JamesNode.start("console", ImmutableMap.of(
            "split-relay-credentials.properties", conf -> CREDENTIAL + ".username=relay@example.com\n" + CREDENTIAL + ".password=" + SECRET + "\n",
            "mailetcontainer.xml", conf -> JamesNode.edit(conf, LOOP_SECRET_LINE, "")));
        partner = SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(0).start();
        certificates = TestCertificates.create();
        securePartner = SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(0)
            .startTls(TestCertificates.serverContext(certificates.selfSigned("partner")))
            .requiringLogin("relay@example.com", SECRET)
            .start();
        for (String domain : List.of("example.com", "down.example", "unreachable.example", "migrated.example", "history.example")) {
            james.data().addDomain(domain);
        }
        for (String user : List.of("alice@example.com", "bob@example.com", "erin@example.com", "dave@migrated.example", "frank@history.example")) {
            james.data().addUser(user, PASSWORD);
        }
        james.data().addUserAliasMapping("bob.partner", "example.com", "bob@example.com");
        james.putDomainRouting("example.com", "{\"relays\":[\"" + partner.relay() + "\"]}");

        ChromeOptions options = new ChromeOptions()
            .setBinary("/usr/bin/chromium")
            .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1600",
                "--disable-background-networking", "--no-first-run");
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            // Chromium's profile and its other temporary files go where the tests' own go (target/tmp), not /tmp.
            .withEnvironment(Map.of("TMPDIR", System.getProperty("java.io.tmpdir")))
            .build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        for (SmtpSink sink : new SmtpSink[] {partner, securePartner}) {
            if (sink != null) {
                sink.close();
            }
        }
        if (james != null) {
            james.close();
        }
    }

    private void open() {
        browser.get("http://127.0.0.1:" + james.webAdminPort() + "/split-domain-console");
    }

    private void connect(String token) {
        open();
        type(By.id("token"), token);
        browser.findElement(By.id("connect")).click();
    }

    private void connect() {
        connect(WebAdminAccess.token(james.workingDirectory()).orElseThrow());
        awaitStatus("Connected");
    }

    private void type(By field, String text) {
        WebElement element = browser.findElement(field);
        element.clear();
        element.sendKeys(text);
    }

    private void type(String id, String text) {
        type(By.id(id), text);
    }

    private void click(By element) {
        browser.findElement(element).click();
    }

    private void awaitStatus(String text) {
        wait.until(ExpectedConditions.textToBe(By.id("status"), text));
    }

    private String text(By element) {
        return browser.findElement(element).getText();
    }

    private List<String> routeOf(String address) {
        type("route-address", address);
        click(By.id("explain"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("route-of"), "Mail to " + address));
        return browser.findElements(By.cssSelector("#route tbody tr td")).stream().map(WebElement::getText).toList();
    }

    /** The confirmation the console asks for, once it is shown: its text. */
    private String confirmation() {
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirmation")));
        return text(By.id("confirmation-text"));
    }

    private void answerConfirmation(String button) {
        click(By.id(button));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("confirmation")));
    }

    private static By domainRow(String domain) {
        return By.cssSelector("#domains tbody tr[data-domain='" + domain + "']");
    }

    private static By inDomainRow(String domain, String element) {
        return By.cssSelector("#domains tbody tr[data-domain='" + domain + "'] " + element);
    }

    private static By queueRow(String mail) {
        return By.cssSelector("#queue tbody tr[data-mail='" + mail + "']");
    }

    private static By inQueueRow(String mail, String element) {
        return By.cssSelector("#queue tbody tr[data-mail='" + mail + "'] " + element);
    }

    private static By healthRow(String check) {
        return By.cssSelector("#health tbody tr[data-check='" + check + "']");
    }

    private JsonPath domainRouting(String domain) {
        return JsonPath.from(james.webAdmin().get("/domains/" + domain + "/split-routing").then().statusCode(200).extract().asString());
    }

    private void submit(String sender, String recipient, String subject) throws Exception {
        try (SmtpSession session = SmtpSession.connect(james.submissionPort())) {
            session.authenticate(sender, PASSWORD);
            session.mailFrom(sender);
            assertThat(session.rcptTo(recipient)).startsWith("250");
            assertThat(session.data("Subject: " + subject + "\r\n\r\nhello\r\n")).startsWith("250");
        }
    }

    @Test
    void anAdministratorShouldFlagAnAddressOfAUserSeeItsRouteChangeAndUnflagItOnceToldWhatThatDoes() throws Exception {
        connect();
        assertThat(text(By.id("domains"))).contains("example.com", partner.relay());

        type("username", "bob@example.com");
        click(By.id("load-user"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("user-editor")));
        assertThat(browser.findElement(By.id("third-party")).isSelected()).isFalse();
        click(By.id("third-party"));
        click(By.cssSelector("#addresses input[value='bob.partner@example.com']"));
        assertThat(browser.findElement(By.id("forward-some")).isSelected()).isTrue();
        click(By.id("save-user"));
        awaitStatus("Saved the settings of bob@example.com");

        JsonPath stored = JsonPath.from(james.webAdmin().get("/users/bob@example.com/split-routing").then().statusCode(200).extract().asString());
        assertThat(stored.getBoolean("thirdParty")).isTrue();
        assertThat(stored.getList("forwardedAddresses")).containsExactly("bob.partner@example.com");
        assertThat(text(By.id("users"))).contains("bob@example.com", "bob.partner@example.com");
        assertThat(routeOf("bob.partner@example.com")).contains("relay", partner.relay(), "third-party");
        Files.createDirectories(SCREENSHOT.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        assertThat(routeOf("bob@example.com")).contains("local", "local-user");

        // What the console set is what mail does.
        submit("alice@example.com", "bob.partner@example.com", "to the partner alias");
        AWAIT.untilAsserted(() -> assertThat(partner.received())
            .anySatisfy(received -> assertThat(received.recipients).containsExactly("bob.partner@example.com")));

        // Unchecking asks first, and says what it does; cancelled, nothing changes.
        click(By.id("third-party"));
        click(By.id("save-user"));
        assertThat(confirmation()).isEqualTo("Unflag bob@example.com? Its split-routing settings are deleted. Mail to bob.partner@example.com "
            + "is then delivered to the mailbox of bob@example.com on this server instead of being relayed to " + partner.relay()
            + ", and mail waiting for the relay comes back to this server at its next attempt. The choice of addresses is forgotten "
            + "(the history keeps it).");
        answerConfirmation("cancel");
        awaitStatus("Nothing changed: bob@example.com stays hosted on the other system");
        assertThat(browser.findElement(By.id("third-party")).isSelected()).isTrue();
        james.webAdmin().get("/users/bob@example.com/split-routing").then().statusCode(200);

        click(By.id("third-party"));
        click(By.id("save-user"));
        confirmation();
        answerConfirmation("confirm");
        wait.until(ExpectedConditions.not(ExpectedConditions.textToBePresentInElementLocated(By.id("users"), "bob@example.com")));
        assertThat(routeOf("bob.partner@example.com")).contains("local").doesNotContain(partner.relay());
        james.webAdmin().get("/users/bob@example.com/split-routing").then().statusCode(404);
    }

    @Test
    void aSplitDomainShouldBeAddedWithItsRelaysTlsAndCredentialEditedAndRemovedInTheConsole() throws Exception {
        connect();
        click(By.id("add-domain"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("domain-editor")));
        type("domain-name", "migrated.example");
        type(By.cssSelector("#relay-rows tbody tr:nth-child(1) .relay-host"), securePartner.relay());
        new Select(browser.findElement(By.cssSelector("#relay-rows tbody tr:nth-child(1) .relay-tls"))).selectByValue("encrypt");
        type(By.cssSelector("#relay-rows tbody tr:nth-child(1) .relay-credential"), CREDENTIAL);
        click(By.id("save-domain"));
        awaitStatus("Saved the split-routing settings of migrated.example");

        wait.until(ExpectedConditions.textToBePresentInElementLocated(domainRow("migrated.example"),
            securePartner.relay() + " (tls encrypt, credential " + CREDENTIAL + ")"));
        JsonPath added = domainRouting("migrated.example");
        assertThat(added.getString("relays[0].relay")).isEqualTo(securePartner.relay());
        assertThat(added.getString("relays[0].tls")).isEqualTo("encrypt");
        assertThat(added.getString("relays[0].credential")).isEqualTo(CREDENTIAL);
        assertThat(added.getBoolean("forwardUnknown")).isFalse();
        assertThat(added.getBoolean("verifyRecipients")).isFalse();

        // A flagged user's mail takes that relay, over TLS, authenticated with the named credential.
        james.putUserRouting("dave@migrated.example", "{\"thirdParty\":true}");
        submit("alice@example.com", "dave@migrated.example", "to the migrated user");
        AWAIT.untilAsserted(() -> assertThat(securePartner.received()).anySatisfy(received -> {
            assertThat(received.recipients).containsExactly("dave@migrated.example");
            assertThat(received.overTls).isTrue();
            assertThat(received.authenticatedAs).contains("relay@example.com");
        }));

        // A credential the file does not name is refused by WebAdmin, with its reason, and nothing is written.
        click(inDomainRow("migrated.example", "button.edit-domain"));
        wait.until(ExpectedConditions.textToBe(By.id("domain-editor-title"), "Split-routing settings of migrated.example"));
        type(By.cssSelector("#relay-rows tbody tr:nth-child(1) .relay-credential"), "partner-clod");
        click(By.id("save-domain"));
        wait.until(ExpectedConditions.attributeToBe(By.id("status"), "class", "error"));
        assertThat(text(By.id("status"))).startsWith("Invalid split-routing settings for migrated.example").contains("partner-clod");
        assertThat(domainRouting("migrated.example").getString("relays[0].credential")).isEqualTo(CREDENTIAL);

        // The same editor, corrected: a backup relay, and unknown addresses forwarded (verified at RCPT).
        type(By.cssSelector("#relay-rows tbody tr:nth-child(1) .relay-credential"), CREDENTIAL);
        click(By.id("add-relay"));
        type(By.cssSelector("#relay-rows tbody tr:nth-child(2) .relay-host"), partner.relay());
        click(By.id("forward-unknown"));
        click(By.id("verify-recipients"));
        click(By.id("save-domain"));
        awaitStatus("Saved the split-routing settings of migrated.example");
        JsonPath edited = domainRouting("migrated.example");
        assertThat(edited.getString("relays[0].credential")).isEqualTo(CREDENTIAL);
        assertThat(edited.getString("relays[1]")).isEqualTo(partner.relay());
        assertThat(edited.getBoolean("forwardUnknown")).isTrue();
        assertThat(edited.getBoolean("verifyRecipients")).isTrue();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(domainRow("migrated.example"), "forwarded to the relays"));
        assertThat(routeOf("gina@migrated.example")).contains("relay", "forward-unknown");

        // Unflagging a user all of whose addresses go to the relay would let it log in here again: the console says so.
        try (SmtpSession session = SmtpSession.connect(james.submissionPort())) {
            assertThat(session.tryAuthenticate("dave@migrated.example", PASSWORD)).startsWith("535");
        }
        type("username", "dave@migrated.example");
        click(By.id("load-user"));
        wait.until(ExpectedConditions.elementToBeSelected(By.id("third-party")));
        click(By.id("third-party"));
        click(By.id("save-user"));
        assertThat(confirmation()).contains("instead of being relayed to " + securePartner.relay() + ", " + partner.relay(),
            "dave@migrated.example, refused at login here while all its addresses go to the other system, can log in to this server again.");
        answerConfirmation("cancel");
        awaitStatus("Nothing changed: dave@migrated.example stays hosted on the other system");

        // Removing asks first; once confirmed the settings are gone, the flagged user's mail stays here.
        click(inDomainRow("migrated.example", "button.remove-domain"));
        assertThat(confirmation()).startsWith("Remove the split-routing settings of migrated.example? Its relays ("
            + securePartner.relay() + ", " + partner.relay() + ") are forgotten").contains("unknown addresses are refused");
        answerConfirmation("cancel");
        awaitStatus("Nothing removed: migrated.example keeps its relays");
        domainRouting("migrated.example");
        click(inDomainRow("migrated.example", "button.remove-domain"));
        confirmation();
        answerConfirmation("confirm");
        awaitStatus("Removed the split-routing settings of migrated.example");
        wait.until(ExpectedConditions.numberOfElementsToBe(domainRow("migrated.example"), 0));
        james.webAdmin().get("/domains/migrated.example/split-routing").then().statusCode(404);
        assertThat(routeOf("dave@migrated.example")).contains("local", "third-party-without-relay").doesNotContain(securePartner.relay());
    }

    @Test
    void jamesUsersWithoutSettingsShouldBeSuggestedAndAnAddressJamesDoesNotKnowRefused() {
        connect();
        wait.until(ExpectedConditions.textToBe(By.id("james-users-count"), "5 James users"));
        assertThat(browser.findElements(By.cssSelector("#james-users option")).stream().map(option -> option.getAttribute("value")))
            .containsExactly("alice@example.com", "bob@example.com", "dave@migrated.example", "erin@example.com", "frank@history.example");

        type("username", "bob@example.com");
        click(By.id("load-user"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("user-editor")));
        type("username", "bbo@example.com");
        click(By.id("load-user"));

        awaitStatus("James has no user bbo@example.com: create it in James first, or check the address");
        assertThat(browser.findElement(By.id("status")).getAttribute("class")).isEqualTo("error");
        assertThat(browser.findElement(By.id("user-editor")).isDisplayed()).isFalse();
    }

    @Test
    void retryNowShouldDeliverAWaitingMail() throws Exception {
        String downRelay = PARTNER_ADDRESS + ":" + SmtpSink.freePort(PARTNER_ADDRESS);
        james.putDomainRouting("down.example", "{\"relays\":[\"" + downRelay + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}");
        submit("alice@example.com", "carol@down.example", "waiting");
        String waiting = "find { it.recipients == ['carol@down.example'] && it.lastError != null }.name";
        AWAIT.untilAsserted(() -> assertThat(james.waitingMails().getString(waiting)).isNotNull());
        String name = james.waitingMails().getString(waiting);
        james.putDomainRouting("down.example", "{\"relays\":[\"" + partner.relay() + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}");

        connect();
        wait.until(ExpectedConditions.presenceOfElementLocated(queueRow(name)));
        click(inQueueRow(name, "button.retry"));

        AWAIT.untilAsserted(() -> assertThat(partner.received())
            .anySatisfy(received -> assertThat(received.recipients).containsExactly("carol@down.example")));
        AWAIT.untilAsserted(() -> assertThat(james.waitingMails().getList("name")).doesNotContain(name));
    }

    @Test
    void aWaitingMailShouldShowItsNextAttemptAndLastErrorAfterARefreshAndBeRemovedWithADsnToItsSender() throws Exception {
        String unreachableRelay = PARTNER_ADDRESS + ":" + SmtpSink.freePort(PARTNER_ADDRESS);
        james.putDomainRouting("unreachable.example", "{\"relays\":[\"" + unreachableRelay + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}");
        connect();

        submit("erin@example.com", "carol@unreachable.example", "never delivered");
        AWAIT.untilAsserted(() -> assertThat(james.waitingMails().getList("findAll { it.lastError != null && it.sender == 'erin@example.com' }"))
            .hasSize(1));
        JsonPath waiting = james.waitingMails();
        String name = waiting.getString("find { it.sender == 'erin@example.com' }.name");
        String nextAttempt = waiting.getString("find { it.sender == 'erin@example.com' }.nextAttempt");
        String lastError = waiting.getString("find { it.sender == 'erin@example.com' }.lastError");

        // Queued after the page was read: the refresh shows it, with the relay's health.
        click(By.id("refresh"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Refreshed at "));
        assertThat(text(inQueueRow(name, ".next-attempt"))).startsWith(nextAttempt + " (in ");
        assertThat(text(inQueueRow(name, ".last-error"))).isEqualTo(lastError).contains(unreachableRelay);
        assertThat(text(healthRow("Split-domain relays"))).contains("degraded", "relay " + unreachableRelay + " (tls may): a test session failed at connect");

        click(inQueueRow(name, "button.remove-mail"));
        assertThat(confirmation()).isEqualTo("Remove mail " + name + " from the relay queue? It is not delivered to carol@unreachable.example; "
            + "its sender erin@example.com gets a delivery status notification (DSN) saying it was removed by the mail administrator.");
        answerConfirmation("confirm");
        awaitStatus("Removed mail " + name + "; a DSN for carol@unreachable.example goes to erin@example.com");
        wait.until(ExpectedConditions.numberOfElementsToBe(queueRow(name), 0));

        assertThat(Mailboxes.awaitMessages(james, "erin@example.com", 1))
            .contains("carol@unreachable.example", "Removed from the split-domain relay queue by the mail administrator");
        assertThat(james.waitingMails().getList("name")).doesNotContain(name);
        james.webAdmin().delete("/domains/unreachable.example/split-routing").then().statusCode(204);
    }

    @Test
    void theHealthShouldShowEveryCheckWithTheCauseOfADegradation() {
        connect();
        wait.until(ExpectedConditions.textToBe(By.id("health-status"), "degraded"));
        List<String> checks = JsonPath.from(james.anonymousWebAdmin().get("/healthcheck").then().extract().asString()).getList("checks.componentName");
        assertThat(browser.findElements(By.cssSelector("#health tbody tr")).stream().map(row -> row.getAttribute("data-check")))
            .containsExactlyInAnyOrderElementsOf(checks)
            .contains("Split-domain loop secret", "Split-domain relays", "Split-domain recipient verification");
        assertThat(text(healthRow("Split-domain loop secret")))
            .contains("degraded", "has no 'loopSecret': loop marks are signed with a secret of this process only");
    }

    @Test
    void theHistoryShouldShowWhoChangedWhatFilteredByDomainAddressAndTime() {
        james.putDomainRouting("history.example", "{\"relays\":[\"" + partner.relay() + "\"]}");
        james.putUserRouting("frank@history.example", "{\"thirdParty\":true}");
        Instant frankFlagged = Instant.parse(james.webAdmin().get("/split-routing/history?address=frank@history.example")
            .then().statusCode(200).extract().jsonPath().getString("[0].at"));
        // A time after frank's change, in whole milliseconds: the last change is at or after it however its time is stored.
        AWAIT.until(() -> Instant.now().truncatedTo(ChronoUnit.MILLIS).isAfter(frankFlagged));
        Instant beforeTheLastChange = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        james.putDomainRouting("history.example", "{\"relays\":[\"" + partner.relay() + "\"],\"forwardUnknown\":true}");
        connect();

        type("history-domain", "history.example");
        click(By.id("show-history"));
        wait.until(ExpectedConditions.textToBe(By.id("history-summary"), "3 change(s) for domain history.example, newest first"));
        List<WebElement> rows = browser.findElements(By.cssSelector("#history tbody tr"));
        assertThat(rows).extracting(WebElement::getText).satisfiesExactly(
            newest -> assertThat(newest).contains(WebAdminAccess.ADMINISTRATOR, "webadmin", "domain history.example", "\"forwardUnknown\":true"),
            user -> assertThat(user).contains(WebAdminAccess.ADMINISTRATOR, "webadmin", "user frank@history.example", "none"),
            oldest -> assertThat(oldest).contains("domain history.example", "none", "\"forwardUnknown\":false"));

        type("history-domain", "");
        type("history-address", "frank@history.example");
        click(By.id("show-history"));
        wait.until(ExpectedConditions.textToBe(By.id("history-summary"), "1 change(s) for address frank@history.example, newest first"));
        assertThat(text(By.cssSelector("#history tbody"))).contains("user frank@history.example").doesNotContain("domain history.example");

        type("history-address", "");
        type("history-domain", "history.example");
        type("history-since", beforeTheLastChange.toString());
        click(By.id("show-history"));
        wait.until(ExpectedConditions.textToBe(By.id("history-summary"),
            "1 change(s) for domain history.example, since " + beforeTheLastChange + ", newest first"));
        assertThat(text(By.cssSelector("#history tbody"))).contains("\"forwardUnknown\":true");

        type("history-since", "yesterday");
        click(By.id("show-history"));
        awaitStatus("'since' must be a time such as 2026-12-01T10:00:00Z; got 'yesterday'");
    }

    @Test
    void aWrongTokenShouldShowWebAdminsRefusalAndNoData() {
        open();
        browser.executeScript("sessionStorage.clear()");
        connect("not-a-token");

        wait.until(ExpectedConditions.attributeToBe(By.id("status"), "class", "error"));
        assertThat(text(By.id("status"))).contains("401");
        assertThat(browser.findElement(By.id("console")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("refresh")).isDisplayed()).isFalse();
    }

    @Test
    void theConsoleShouldRefuseToBeFramedAndRunOnlyItsOwnScripts() {
        james.anonymousWebAdmin().get("/split-domain-console").then().statusCode(200)
            .header("Content-Type", org.hamcrest.Matchers.startsWith("text/html;"))
            .header("X-Frame-Options", "DENY")
            .header("Content-Security-Policy", org.hamcrest.Matchers.containsString("frame-ancestors 'none'"));
    }
}
