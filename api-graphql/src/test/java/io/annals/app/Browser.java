package io.annals.app;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium driven through the machine's own chromedriver (Debian's {@code chromium} and
 * {@code chromium-driver}): nothing is downloaded, and Chromium is kept from calling out (this machine has no
 * network). Without the packages the tests are skipped, unless {@code ANNALS_REQUIRE_BROWSER=true} (as CI sets it),
 * where their absence fails.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("annals.test.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("annals.test.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(30);

    final ChromeDriver driver;
    private final String baseUrl;
    private final Path profile;

    private Browser(ChromeDriver driver, String baseUrl, Path profile) {
        this.driver = driver;
        this.baseUrl = baseUrl;
        this.profile = profile;
    }

    /** Skips the calling test when the machine has no Chromium, unless CI requires one. */
    static void assumeInstalled() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && "true".equalsIgnoreCase(System.getenv("ANNALS_REQUIRE_BROWSER"))) {
            fail("ANNALS_REQUIRE_BROWSER is set but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing: "
                    + "apt-get install chromium chromium-driver");
        }
        assumeTrue(installed, "no " + CHROMIUM + " and " + CHROMEDRIVER + " (apt-get install chromium chromium-driver)");
    }

    static Browser open(String baseUrl) {
        Path profile;
        try {
            profile = Files.createTempDirectory("annals-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--lang=en-US", "--window-size=1280,900",
                "--user-data-dir=" + profile);
        // chromedriver has no port-0 mode: Selenium picks a free port and hands it over; a start that loses that
        // port to another process is simply tried again on another one
        WebDriverException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
            try {
                ChromeDriver driver = new ChromeDriver(service, options);
                driver.manage().timeouts().scriptTimeout(WAIT);
                return new Browser(driver, baseUrl, profile);
            } catch (WebDriverException e) {
                last = e;
                service.stop();
            }
        }
        throw last;
    }

    void go(String path) {
        driver.get(baseUrl + path);
    }

    String path() {
        return java.net.URI.create(driver.getCurrentUrl()).getRawPath();
    }

    /** Waits for a condition; pages re-render as data arrives, so an element gone stale is looked up again. */
    <T> T await(String what, Function<WebDriver, T> condition) {
        return await(what, WAIT, condition);
    }

    /** As {@link #await(String, Function)}, for work that takes longer than a page's data (a pipeline run). */
    <T> T await(String what, Duration timeout, Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, timeout, Duration.ofMillis(100)).ignoring(StaleElementReferenceException.class)
                    .withMessage(what).until(condition);
        } catch (TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what + " at " + driver.getCurrentUrl()
                    + "; the page shows:\n" + script("return document.body.innerText"), e);
        }
    }

    /** The first element the selector finds, when it is shown; null otherwise. */
    private static WebElement shown(WebDriver driver, String css) {
        List<WebElement> found = driver.findElements(By.cssSelector(css));
        return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
    }

    WebElement awaitElement(String css) {
        return await("an element " + css, d -> shown(d, css));
    }

    /** Signs in on the sign-in page the console shows, and waits for the principal in the header. */
    void signIn(String token) {
        awaitElement("#token").sendKeys(token);
        driver.findElement(By.id("sign-in")).click();
        await("signed in", d -> !d.findElements(By.cssSelector("#principal[data-principal]")).isEmpty());
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits until the page has loaded its data: no loading indicator is left. */
    void awaitLoaded() {
        await("the page to finish loading", d -> d.findElements(By.cssSelector("main .loading")).isEmpty()
                && !d.findElements(By.cssSelector("main > *")).isEmpty());
    }

    String text(String css) {
        return await("the text of " + css, d -> {
            WebElement element = shown(d, css);
            return element == null ? null : element.getText();
        });
    }

    /** Waits until the element's text contains the expected part; returns the whole text. */
    String awaitText(String css, String part) {
        return await("'" + part + "' in " + css, d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            String text = found.isEmpty() ? "" : found.get(0).getText();
            return text.contains(part) ? text : null;
        });
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Saves the whole page (up to 3,000 px tall) as target/console-screenshots/{name}.png. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Dimension before = driver.manage().window().getSize();
            long chrome = ((Number) script("return window.outerHeight - window.innerHeight")).longValue();
            long page = ((Number) script("return document.documentElement.scrollHeight")).longValue();
            long wanted = Math.min(3000, Math.max(before.height - chrome, page));
            driver.manage().window().setSize(new Dimension(before.width, (int) (wanted + chrome)));
            await("the window to grow to the page", d -> ((Number) script("return window.innerHeight")).longValue()
                    >= wanted - 2);
            File shot = driver.getScreenshotAs(OutputType.FILE);
            driver.manage().window().setSize(before);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var paths = Files.walk(profile)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                System.err.println("could not delete " + profile + ": " + e);
            }
        }
    }
}
