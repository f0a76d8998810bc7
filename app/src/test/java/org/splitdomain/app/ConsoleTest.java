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
import java.util.List;

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
import org.openqa.selenium.support.ui.WebDriverWait;
import org.splitdomain.testing.SmtpSink;

import io.restassured.path.json.JsonPath;

/**
 * The console in Debian's chromium, driven as an administrator would: the token typed in, a user flagged as hosted on
 * the other system for one of its addresses, the route of that address changing, real mail to it reaching the partner,
 * the flag removed; a waiting mail retried from the queue table. The README's screenshot is refreshed from the one this test takes (app/target/console.png).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleTest {
    private static final String PARTNER_ADDRESS = "127.0.0.2";
    // Under target/, never over the tracked docs/console.png: the README's screenshot is refreshed from it by hand
    // (docs/console.png: see "The console" in the README).
    private static final Path SCREENSHOT = JamesNode.JAMES_CONF.getParent().resolve("app").resolve("target").resolve("console.png");

    private JamesNode james;
    private SmtpSink partner;
    private ChromeDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    void start() throws Exception {
        // .ci/run installs them; a bare `mvn verify` without them skips these tests, and says so.
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")) && Files.isExecutable(Path.of("/usr/bin/chromedriver")),
            "Debian's chromium and chromium-driver are not installed: the console is not tested in a browser");
        james = JamesNode.start("console");
        partner = SmtpSink.builder().bindAddress(PARTNER_ADDRESS).port(0).start();
        james.data().addDomain("example.com");
        james.data().addDomain("down.example");
        james.data().addUser("alice@example.com", PASSWORD);
        james.data().addUser("bob@example.com", PASSWORD);
        james.data().addUserAliasMapping("bob.partner", "example.com", "bob@example.com");
        james.putDomainRouting("example.com", "{\"relays\":[\"" + partner.relay() + "\"]}");

        ChromeOptions options = new ChromeOptions()
            .setBinary("/usr/bin/chromium")
            .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1500",
                "--disable-background-networking", "--no-first-run");
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            // Chromium's profile and its other temporary files go where the tests' own go (target/tmp), not /tmp.
            .withEnvironment(java.util.Map.of("TMPDIR", System.getProperty("java.io.tmpdir")))
            .build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (partner != null) {
            partner.close();
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
        type("token", token);
        browser.findElement(By.id("connect")).click();
    }

    private void type(String id, String text) {
        WebElement field = browser.findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    private void awaitStatus(String text) {
        wait.until(ExpectedConditions.textToBe(By.id("status"), text));
    }

    private List<String> routeOf(String address) {
        type("route-address", address);
        browser.findElement(By.id("explain")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("route-of"), "Mail to " + address));
        return browser.findElements(By.cssSelector("#route tbody tr td")).stream().map(WebElement::getText).toList();
    }

    private String token() {
        return WebAdminAccess.token(james.workingDirectory()).orElseThrow();
    }

    @Test
    void anAdministratorShouldFlagAnAddressOfAUserSeeItsRouteChangeAndUnflagIt() throws Exception {
        connect(token());
        awaitStatus("Connected");
        assertThat(browser.findElement(By.id("domains")).getText()).contains("example.com", partner.relay());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("relay-health"), "healthy"));

        type("username", "bob@example.com");
        browser.findElement(By.id("load-user")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("user-editor")));
        assertThat(browser.findElement(By.id("third-party")).isSelected()).isFalse();
        browser.findElement(By.id("third-party")).click();
        browser.findElement(By.cssSelector("#addresses input[value='bob.partner@example.com']")).click();
        assertThat(browser.findElement(By.id("forward-some")).isSelected()).isTrue();
        browser.findElement(By.id("save-user")).click();
        awaitStatus("Saved the settings of bob@example.com");

        JsonPath stored = JsonPath.from(james.webAdmin().get("/users/bob@example.com/split-routing").then().statusCode(200).extract().asString());
        assertThat(stored.getBoolean("thirdParty")).isTrue();
        assertThat(stored.getList("forwardedAddresses")).containsExactly("bob.partner@example.com");
        assertThat(browser.findElement(By.id("users")).getText()).contains("bob@example.com", "bob.partner@example.com");
        assertThat(routeOf("bob.partner@example.com")).contains("relay", partner.relay(), "third-party");
        Files.createDirectories(SCREENSHOT.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        assertThat(routeOf("bob@example.com")).contains("local", "local-user");

        // What the console set is what mail does.
        try (SmtpSession session = SmtpSession.connect(james.submissionPort())) {
            session.authenticate("alice@example.com", PASSWORD);
            session.mailFrom("alice@example.com");
            assertThat(session.rcptTo("bob.partner@example.com")).startsWith("250");
            assertThat(session.data("Subject: to the partner alias\r\n\r\nhello\r\n")).startsWith("250");
        }
        AWAIT.untilAsserted(() -> assertThat(partner.received())
            .anySatisfy(received -> assertThat(received.recipients).containsExactly("bob.partner@example.com")));

        browser.findElement(By.id("third-party")).click();
        browser.findElement(By.id("save-user")).click();
        wait.until(ExpectedConditions.not(ExpectedConditions.textToBePresentInElementLocated(By.id("users"), "bob@example.com")));
        assertThat(routeOf("bob.partner@example.com")).contains("local").doesNotContain(partner.relay());
        james.webAdmin().get("/users/bob@example.com/split-routing").then().statusCode(404);
    }

    @Test
    void jamesUsersWithoutSettingsShouldBeSuggestedAndAnAddressJamesDoesNotKnowRefused() {
        connect(token());
        awaitStatus("Connected");
        wait.until(ExpectedConditions.textToBe(By.id("james-users-count"), "2 James users"));
        assertThat(browser.findElements(By.cssSelector("#james-users option")).stream().map(option -> option.getAttribute("value")))
            .containsExactly("alice@example.com", "bob@example.com");

        type("username", "bob@example.com");
        browser.findElement(By.id("load-user")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("user-editor")));
        type("username", "bbo@example.com");
        browser.findElement(By.id("load-user")).click();

        awaitStatus("James has no user bbo@example.com: create it in James first, or check the address");
        assertThat(browser.findElement(By.id("status")).getAttribute("class")).isEqualTo("error");
        assertThat(browser.findElement(By.id("user-editor")).isDisplayed()).isFalse();
    }

    @Test
    void retryNowShouldDeliverAWaitingMail() throws Exception {
        String downRelay = PARTNER_ADDRESS + ":" + SmtpSink.freePort(PARTNER_ADDRESS);
        james.putDomainRouting("down.example", "{\"relays\":[\"" + downRelay + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}");
        try (SmtpSession session = SmtpSession.connect(james.submissionPort())) {
            session.authenticate("alice@example.com", PASSWORD);
            session.mailFrom("alice@example.com");
            assertThat(session.rcptTo("carol@down.example")).startsWith("250");
            assertThat(session.data("Subject: waiting\r\n\r\nhello\r\n")).startsWith("250");
        }
        AWAIT.untilAsserted(() -> assertThat(james.waitingMails().getList("findAll { it.lastError != null }.name")).hasSize(1));
        james.putDomainRouting("down.example", "{\"relays\":[\"" + partner.relay() + "\"],\"forwardUnknown\":true,\"verifyRecipients\":false}");

        connect(token());
        awaitStatus("Connected");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#queue tbody"), "carol@down.example"));
        browser.findElement(By.cssSelector("#queue tbody button.retry")).click();

        AWAIT.untilAsserted(() -> assertThat(partner.received())
            .anySatisfy(received -> assertThat(received.recipients).containsExactly("carol@down.example")));
        AWAIT.untilAsserted(() -> assertThat(james.waitingMails().getList("name")).isEmpty());
    }

    @Test
    void aWrongTokenShouldShowWebAdminsRefusalAndNoData() {
        open();
        browser.executeScript("sessionStorage.clear()");
        connect("not-a-token");

        wait.until(ExpectedConditions.attributeToBe(By.id("status"), "class", "error"));
        assertThat(browser.findElement(By.id("status")).getText()).contains("401");
        assertThat(browser.findElement(By.id("console")).isDisplayed()).isFalse();
    }

    @Test
    void theConsoleShouldRefuseToBeFramedAndRunOnlyItsOwnScripts() {
        james.anonymousWebAdmin().get("/split-domain-console").then().statusCode(200)
            .header("Content-Type", org.hamcrest.Matchers.startsWith("text/html;"))
            .header("X-Frame-Options", "DENY")
            .header("Content-Security-Policy", org.hamcrest.Matchers.containsString("frame-ancestors 'none'"));
    }
}
