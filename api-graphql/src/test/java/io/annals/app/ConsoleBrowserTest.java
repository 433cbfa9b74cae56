package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.app.demo.AnnalsDemo;
import io.annals.app.demo.GraphQlClient;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console in a real headless Chromium against the running platform, after the demo's flow: each page is
 * opened by its deep link and checked as a person would check it; a screenshot of each is saved under
 * target/console-screenshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest extends PlatformTestSupport {

    private AnnalsDemo.Report demo;
    private Browser browser;

    @BeforeAll
    void runTheDemo() throws Exception {
        Browser.assumeInstalled();
        demo = new AnnalsDemo(new GraphQlClient(baseUrl(), TESTER_TOKEN),
                new PrintStream(OutputStream.nullOutputStream(), true)).run();
    }

    @BeforeEach
    void openTheBrowser() {
        browser = Browser.open(baseUrl());
    }

    @AfterEach
    void closeTheBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    private void open(String path, String token) {
        browser.go(path);
        browser.signIn(token);
        browser.await("back at " + path, d -> browser.path().equals(path.split("\\?")[0]));
        browser.awaitLoaded();
    }

    private static String encode(String part) {
        return java.net.URLEncoder.encode(part, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void givenNoToken_whenADeepLinkIsOpened_thenSignInLeadsBackToIt_aWrongTokenIsRefusedWithTheApisMessage_andSignOutForgetsIt() {
        String page = "/ui/endpoints/" + demo.endpoint();
        browser.go(page);
        assertThat(browser.text("h1")).isEqualTo("Sign in to Annals");
        assertThat(browser.path()).isEqualTo("/ui/sign-in");
        browser.screenshot("sign-in");

        browser.awaitElement("#token").sendKeys("not-a-token-of-this-platform");
        browser.driver.findElement(By.id("sign-in")).click();
        assertThat(browser.text(".signin .error")).startsWith("Sign-in refused: unknown");

        browser.driver.findElement(By.id("token")).clear();
        browser.signIn(TESTER_TOKEN);
        browser.await("the deep link", d -> browser.path().equals(page));
        assertThat(browser.text("#principal")).isEqualTo("Signed in as user:tester");
        assertThat(browser.text("h1")).startsWith("Endpoint " + demo.endpoint());

        browser.driver.findElement(By.id("sign-out")).click();
        assertThat(browser.text("h1")).isEqualTo("Sign in to Annals");
        assertThat(browser.script("return sessionStorage.getItem('annals.token')")).isNull();
        browser.go("/ui/models");
        assertThat(browser.text("h1")).isEqualTo("Sign in to Annals");

        // a token that stops working mid-session returns the user to sign-in with the API's message
        browser.signIn(TESTER_TOKEN);
        browser.script("sessionStorage.setItem('annals.token', 'revoked-or-expired-token-123')");
        browser.go("/ui/models");
        assertThat(browser.text(".signin .error")).contains("Your token was refused").contains("unknown");
    }

    @Test
    void givenTheDemosModel_whenItsPagesAreOpened_thenVersionsAreSideBySide_aMetricIsChartedAcrossVersions_andTwoCompare() {
        open("/ui/models", TESTER_TOKEN);
        assertThat(browser.all("tr[data-model='" + demo.model() + "']")).hasSize(1);
        browser.screenshot("models");

        browser.driver.findElement(By.cssSelector("tr[data-model='" + demo.model() + "'] a")).click();
        browser.awaitLoaded();
        assertThat(browser.path()).isEqualTo("/ui/models/" + demo.model());
        assertThat(browser.all("tr[data-version]")).hasSize(2);
        List<String> headers = browser.all("thead th").stream().map(WebElement::getText).toList();
        assertThat(headers).contains("auc", "accuracy", "Serving on", "Aliases");
        // the endpoint rolled back to v1: v1 serves there, v2 no longer
        assertThat(browser.driver.findElement(By.cssSelector("tr[data-version='1']")).getText()).contains(demo.endpoint());
        assertThat(browser.driver.findElement(By.cssSelector("tr[data-version='2']")).getText()).doesNotContain(demo.endpoint());
        // one point per version on the metric chart, whichever metric is chosen
        assertThat(browser.all("svg[data-chart='metric-across-versions'] circle.point")).hasSize(2);
        new Select(browser.driver.findElement(By.id("metric"))).selectByValue("auc");
        assertThat(browser.driver.getCurrentUrl()).contains("metric=auc");
        assertThat(browser.all("svg[data-chart='metric-across-versions'] circle.point")).hasSize(2)
                .extracting(e -> e.getDomAttribute("data-series")).containsOnly("auc");

        browser.driver.findElement(By.cssSelector("input[data-compare='1']")).click();
        browser.driver.findElement(By.cssSelector("input[data-compare='2']")).click();
        browser.awaitElement("table.compare tr[data-row='Epochs']");
        assertThat(browser.driver.getCurrentUrl()).contains("compare=1%2C2");
        WebElement inputs = browser.driver.findElement(By.cssSelector("table.compare tr[data-row='Inputs']"));
        assertThat(inputs.getText()).contains(demo.dataset());
        assertThat(browser.all("table.compare td.differs")).as("v1 and v2 read different batches").isNotEmpty();
        browser.screenshot("model");

        // the comparison is in the link: pasted elsewhere, it opens the same view
        browser.go("/ui/models/" + demo.model() + "?compare=1,2&metric=auc");
        browser.awaitElement("table.compare tr[data-row='Hidden units']");
        assertThat(new Select(browser.driver.findElement(By.id("metric"))).getFirstSelectedOption().getText())
                .isEqualTo("auc");
    }

    @Test
    void givenACompletedRun_whenItsPageIsOpened_thenTheLossChartHasOnePointPerEpoch() {
        String runId = demo.runIds().get(1);
        open("/ui/runs/" + runId, AUDITOR_TOKEN);
        assertThat(browser.text("#run-status")).isEqualTo("COMPLETED");
        assertThat(browser.all("svg[data-chart='loss'] circle[data-series='train loss']")).hasSize(6);
        assertThat(browser.all("svg[data-chart='loss'] circle[data-series='validation loss']")).hasSize(6);
        assertThat(browser.all("svg[data-chart='epoch-metrics'] circle.point")).hasSizeGreaterThanOrEqualTo(6);
        assertThat(browser.text("main")).contains("Hyperparameters").contains(demo.batchIds().get(1).substring(0, 8));
        browser.screenshot("run");
    }

    @Test
    void givenARunThatHasNotTrainedYet_whenItsPageIsOpen_thenItsEpochCurvesGrowLiveUntilItCompletes() {
        Map<String, Object> batch = ingest("console-live-" + System.nanoTime(), csv(2400, 7));
        String dataset = (String) ((Map<?, ?>) graphQl(AUDITOR_TOKEN).document("""
                        query($b: ID!) { batchImpact(batchId: $b) { batch { dataset } } }""")
                .variable("b", batch.get("batchId")).execute().path("batchImpact.batch").entity(Map.class).get())
                .get("dataset");
        // the training worker trains one run at a time: a long run first keeps the watched one waiting
        String blocker = run(dataset, (String) batch.get("batchId"), 60, 16);
        String watched = run(dataset, (String) batch.get("batchId"), 8, 64);
        browser.go("/ui/runs/" + watched);
        browser.signIn(TESTER_TOKEN);
        browser.awaitElement("#run-status");
        browser.script("window.annalsMarker = 'same page'");
        int pointsAtFirst = browser.all("svg[data-chart='loss'] circle[data-series='train loss']").size();
        String statusAtFirst = browser.text("#run-status");
        assertThat(statusAtFirst).as("the watched run waits for " + blocker).isIn("REQUESTED", "RUNNING");
        assertThat(pointsAtFirst).isLessThan(8);
        browser.awaitElement("#live-state .live-dot:not(.off)");

        browser.await("the run to complete on the open page", d -> browser.text("#run-status").equals("COMPLETED"));
        assertThat(browser.all("svg[data-chart='loss'] circle[data-series='train loss']")).hasSize(8);
        assertThat(browser.script("return window.annalsMarker")).as("no reload").isEqualTo("same page");
        assertThat(Integer.parseInt(browser.driver.findElement(By.id("main")).getDomAttribute("data-updates")))
                .as("renders from the subscription").isGreaterThan(1);
    }

    private String run(String dataset, String batchId, int epochs, int batchSize) {
        return graphQl(TESTER_TOKEN).document("""
                        mutation($d: String!, $b: ID!, $e: Int!, $s: Int!) { requestTrainingRun(input: {
                          model: "console-live", task: BINARY_CLASSIFICATION, batches: [{dataset: $d, batchId: $b}],
                          features: ["x"], label: "label", hyperparameters: {epochs: $e, batchSize: $s}}) {
                          runId errors { message } } }""")
                .variable("d", dataset).variable("b", batchId).variable("e", epochs).variable("s", batchSize)
                .execute().path("requestTrainingRun.runId").entity(String.class).get();
    }

    @Test
    void givenTheServedVersion_whenItsLineageIsOpened_thenTheGraphRunsFromEachBatchThroughTheRunToTheEndpointAndItsAlerts() {
        open("/ui/lineage/" + demo.model() + "/2", AUDITOR_TOKEN);
        WebElement graph = browser.awaitElement("#lineage-graph");
        assertThat(graph.findElements(By.cssSelector(".node[data-kind='run']"))).hasSize(1).first()
                .extracting(e -> e.getDomAttribute("data-id")).isEqualTo(demo.runIds().get(1));
        assertThat(graph.findElements(By.cssSelector(".node[data-kind='batch']")))
                .extracting(e -> e.getDomAttribute("data-id")).containsExactlyInAnyOrderElementsOf(demo.batchIds());
        assertThat(graph.findElements(By.cssSelector(".node[data-kind='endpoint']")))
                .extracting(e -> e.getDomAttribute("data-id")).containsExactly(demo.endpoint());
        assertThat(graph.findElements(By.cssSelector(".node[data-kind='alert']")))
                .extracting(e -> e.getDomAttribute("data-id")).anyMatch(id -> id.startsWith(demo.alertId() + "#"));
        assertThat(graph.findElements(By.cssSelector(".node[data-kind='dataset']")))
                .extracting(e -> e.getDomAttribute("data-id")).containsExactly("dataset:" + demo.dataset());
        assertThat(graph.findElements(By.cssSelector("path.edge"))).hasSizeGreaterThanOrEqualTo(4);

        // a batch node shows what the batch touched
        graph.findElement(By.cssSelector(".node[data-kind='batch'][data-id='" + demo.batchIds().get(1) + "']")).click();
        browser.await("the batch's impact", d -> demo.batchIds().get(1).equals(
                d.findElement(By.id("node-detail")).getDomAttribute("data-batch")));
        assertThat(browser.text("#node-detail")).contains(demo.runIds().get(1).substring(0, 8)).contains(demo.endpoint())
                .contains(demo.model() + " v2");
        browser.screenshot("lineage");

        // the run node opens the run's page
        browser.driver.findElement(By.cssSelector("#lineage-graph .node[data-kind='run']")).click();
        browser.await("the run's page", d -> browser.path().equals("/ui/runs/" + demo.runIds().get(1)));

        // a model trained on a training set: source batches, the feature set version and the training set
        AnnalsDemo.FeatureStory features = demo.features();
        browser.go("/ui/lineage/" + features.model() + "/1");
        browser.awaitLoaded();
        WebElement tsGraph = browser.awaitElement("#lineage-graph");
        assertThat(tsGraph.findElements(By.cssSelector(".node[data-kind='batch']")))
                .extracting(e -> e.getDomAttribute("data-id")).containsExactlyInAnyOrderElementsOf(features.sourceBatches());
        assertThat(tsGraph.findElements(By.cssSelector(".node[data-kind='feature-set']"))).hasSize(1);
        assertThat(tsGraph.findElements(By.cssSelector(".node[data-kind='training-set']"))).hasSize(1);
        assertThat(tsGraph.findElements(By.cssSelector(".node[data-kind='endpoint']")))
                .extracting(e -> e.getDomAttribute("data-id")).containsExactly(features.endpoint());
        browser.screenshot("lineage-feature-set");
    }

    @Test
    void givenTheDemosPipeline_whenItsPageIsOpened_thenItsRunShowsEachStepTheCauseAndTheGate_andAViewerMayNotRunIt() {
        AnnalsDemo.PipelineStory story = demo.pipeline();
        open("/ui/pipelines/" + story.pipeline(), AUDITOR_TOKEN);
        WebElement run = browser.awaitElement("section.pipeline-run[data-run='" + story.runId() + "']");
        assertThat(run.getDomAttribute("data-status")).isEqualTo(story.status());
        assertThat(browser.all("section.pipeline-run[data-run='" + story.runId() + "'] ol.steps li"))
                .extracting(li -> li.getDomAttribute("data-step") + "=" + li.getDomAttribute("data-status"))
                .containsExactly("MATERIALIZE=SKIPPED", "TRAIN=SUCCEEDED", "EVALUATE=SUCCEEDED", "GATE=SUCCEEDED",
                        "DEPLOY=SUCCEEDED", "OBSERVE=SKIPPED");
        assertThat(run.getText()).contains("new batch in").contains(story.triggeringBatch())
                .contains("pass auc").contains("v" + story.candidate());
        assertThat(browser.text(".refused")).contains("You may not run or pause this pipeline")
                .contains("pipeline:write");
        assertThat(browser.driver.findElement(By.id("trigger")).isEnabled()).isFalse();
        browser.screenshot("pipeline-viewer");

        // the list of runs, from the header, links to it
        browser.awaitElement("#nav a[data-section='pipelines']").click();
        browser.await("on the list of pipelines", d -> browser.path().equals("/ui/pipelines"));
        // its latest run (run 1, or 2 when the run-from-the-page test came first)
        assertThat(browser.awaitText("tr[data-pipeline='" + story.pipeline() + "']", "run "))
                .contains("active").contains("credit-auto-");
        browser.screenshot("pipelines");
        browser.awaitElement("tr[data-run='" + story.runId() + "'] a").click();
        browser.await("on the pipeline's page", d -> browser.path().equals("/ui/pipelines/" + story.pipeline()));
        browser.awaitElement("section.pipeline-run[data-run='" + story.runId() + "']");
    }

    @Test
    void givenADataScientist_whenItRunsAPipelineFromItsPage_thenTheNewRunAppearsLiveAndFinishes() {
        AnnalsDemo.PipelineStory story = demo.pipeline();
        open("/ui/pipelines/" + story.pipeline(), TESTER_TOKEN);
        browser.awaitElement("#trigger-note").sendKeys("from the console");
        browser.awaitElement("#trigger").click();
        String next = story.pipeline() + "#2";
        WebElement run = browser.awaitElement("section.pipeline-run[data-run='" + next + "']");
        assertThat(run.getText()).contains("by hand: from the console");
        // the page follows the run through its steps by itself (a subscription), until it finishes
        browser.await("run 2 finished", Duration.ofMinutes(3), d -> !"RUNNING".equals(browser.driver.findElement(By.cssSelector(
                "section.pipeline-run[data-run='" + next + "']")).getDomAttribute("data-status")));
        browser.screenshot("pipeline");
    }

    @Test
    void givenTheDemosEndpoint_whenItsPageIsOpened_thenTheTimelineListsTheRollbackWithItsReason_andAViewerIsRefusedPolitely() {
        open("/ui/endpoints/" + demo.endpoint(), AUDITOR_TOKEN);
        WebElement rollback = browser.awaitElement("#timeline li[data-revision='" + demo.rollbackRevision() + "']");
        assertThat(rollback.getDomAttribute("data-kind")).isEqualTo("ROLLBACK");
        assertThat(rollback.getText()).contains("drift alert " + demo.alertId() + " on version 2").contains("by user:tester");
        assertThat(browser.all("#timeline li")).hasSize(demo.rollbackRevision());
        assertThat(browser.text("#traffic-split")).contains(demo.model() + " v1 · 100%");
        // a viewer sees why it may not deploy, and the buttons are off
        assertThat(browser.text(".refused")).contains("You may not deploy here").contains("endpoint:deploy");
        assertThat(browser.driver.findElement(By.id("deploy")).isEnabled()).isFalse();
        assertThat(browser.driver.findElement(By.id("roll-back")).isEnabled()).isFalse();
        browser.screenshot("endpoint-viewer");
    }

    @Test
    void givenADeployer_whenItDeploysACanaryAndRollsBackFromThePage_thenTheTimelineShowsBothWithWhoAndWhy() {
        String name = "console-deploy-" + System.nanoTime();
        Map<String, Object> batch = ingest(name, csv(300, 11));
        requestRun(name, (String) batch.get("batchId"), name);
        requestRun(name, (String) batch.get("batchId"), name);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(90)).ignoreExceptions().until(() ->
                graphQl(AUDITOR_TOKEN).document("query($m: String!) { model(name: $m) { latestVersion } }")
                        .variable("m", name).execute().path("model.latestVersion").entity(Integer.class).get() == 2);
        graphQl(TESTER_TOKEN).document("""
                        mutation($e: String!) { deployModel(input: {endpoint: $e, model: $e, version: 1,
                          reason: "first release"}) { errors { message } } }""")
                .variable("e", name).execute().path("deployModel.errors").entityList(Object.class).hasSize(0);

        open("/ui/endpoints/" + name, TESTER_TOKEN);
        assertThat(browser.all("#timeline li")).hasSize(1);
        new Select(browser.driver.findElement(By.id("deploy-model"))).selectByValue(name);
        browser.driver.findElement(By.id("deploy-version")).sendKeys("2");
        WebElement percent = browser.driver.findElement(By.id("deploy-percent"));
        percent.clear();
        percent.sendKeys("25");
        browser.driver.findElement(By.id("deploy-reason")).sendKeys("canary from the console");
        browser.driver.findElement(By.id("deploy")).click();
        browser.awaitText("#flash", "Revision 2 recorded");
        assertThat(browser.text("#timeline li[data-revision='2']")).contains("canary: " + name + " v1 75%")
                .contains(name + " v2 25%").contains("canary from the console").contains("by user:tester");
        assertThat(browser.text("#traffic-split")).contains(name + " v1 · 75%").contains(name + " v2 · 25%");

        browser.driver.findElement(By.id("rollback-reason")).sendKeys("the canary is not needed");
        browser.driver.findElement(By.id("roll-back")).click();
        browser.awaitText("#flash", "Rolled back: revision 3");
        WebElement rollback = browser.awaitElement("#timeline li[data-revision='3']");
        assertThat(rollback.getDomAttribute("data-kind")).isEqualTo("ROLLBACK");
        assertThat(rollback.getText()).contains("the canary is not needed").contains("to what revision 1 served");
        assertThat(browser.text("#traffic-split")).contains(name + " v1 · 100%");
        browser.screenshot("endpoint");

        // an empty reason is refused by the API, and its message is shown; nothing is recorded
        browser.script("document.getElementById('rollback-reason').removeAttribute('required')");
        browser.driver.findElement(By.id("roll-back")).click();
        assertThat(browser.text("#action-feedback .error")).containsIgnoringCase("reason");
        assertThat(browser.all("#timeline li")).hasSize(3);
    }

    @Test
    void givenTheDemosAlert_whenAViewerWatchesAndADeployerResolvesIt_thenBothSeeItsDistributionsAndTheViewerSeesItResolveLive() {
        String id = graphQl(AUDITOR_TOKEN).document("query($a: ID!) { driftAlert(id: $a) { id } }")
                .variable("a", demo.alertId()).execute().path("driftAlert.id").entity(String.class).get();
        // the viewer: the alert's distributions and PSI, the list of the endpoint's alerts, and no right to act
        open("/ui/alerts/" + encode(id) + "?endpoint=" + demo.endpoint(), AUDITOR_TOKEN);
        WebElement chart = browser.awaitElement("svg[data-chart='drift-histogram']");
        List<WebElement> reference = chart.findElements(By.cssSelector("rect.bar[data-series^='reference']"));
        List<WebElement> live = chart.findElements(By.cssSelector("rect.bar[data-series^='live']"));
        assertThat(reference).hasSizeGreaterThanOrEqualTo(2).hasSameSizeAs(live);
        assertThat(Double.parseDouble(browser.text("#alert-psi")))
                .isCloseTo(demo.alertPsi(), org.assertj.core.data.Offset.offset(0.001));
        assertThat(browser.all("tr[data-alert='" + id + "']")).hasSize(1);
        assertThat(browser.text("#alert-detail .refused")).contains("endpoint:monitor");
        assertThat(browser.driver.findElement(By.id("resolve")).isEnabled()).isFalse();
        browser.awaitElement("#live-state .live-dot:not(.off)");
        browser.script("window.annalsMarker = 'same page'");
        browser.screenshot("alert");

        // the deployer, in a browser of its own, resolves it with a note
        try (Browser deployer = Browser.open(baseUrl())) {
            deployer.go("/ui/alerts/" + encode(id));
            deployer.signIn(TESTER_TOKEN);
            deployer.awaitElement("#alert-note").sendKeys("rolled back; the input shift is understood");
            deployer.driver.findElement(By.id("resolve")).click();
            deployer.await("the alert resolved", d -> d.findElement(By.id("alert-detail")).getText()
                    .contains("rolled back; the input shift is understood"));
            assertThat(deployer.text("#alert-detail")).contains("by user:tester");
        }

        // the viewer's page follows without a reload
        browser.await("the row to turn resolved", d -> "RESOLVED".equals(
                d.findElement(By.cssSelector("tr[data-alert='" + id + "']")).getDomAttribute("data-status")));
        browser.await("the detail to show the note", d -> d.findElement(By.id("alert-detail")).getText()
                .contains("rolled back; the input shift is understood"));
        assertThat(browser.script("return window.annalsMarker")).as("no reload").isEqualTo("same page");

        // the open tab no longer lists it; the resolved tab does
        browser.driver.findElement(By.linkText("open")).click();
        awaitListed("the open list without it", "OPEN", id, false);
        browser.driver.findElement(By.linkText("resolved")).click();
        awaitListed("the resolved list with it", "RESOLVED", id, true);
        browser.screenshot("alerts");
    }

    /**
     * Waits until the list of one status tab, loaded, lists the alert (or does not). A list is a search of the read
     * model, which sees a change within Elasticsearch's refresh interval (1 s): a list opened sooner after the change
     * (on a fast run, as here) may not show it yet, and does when opened again, so it is opened again until it does.
     */
    private void awaitListed(String what, String status, String id, boolean listed) {
        browser.await(what, d -> {
            if (!d.getCurrentUrl().contains("status=" + status)
                    || d.findElements(By.cssSelector("#alert-list .pager")).isEmpty()) {
                return false;
            }
            if (d.findElements(By.cssSelector("tr[data-alert='" + id + "']")).isEmpty() != listed) {
                return true;
            }
            d.navigate().refresh();
            return false;
        });
    }

    @Test
    void givenTheLog_whenTheAuditPageIsFilteredAndPaged_thenEachEventAndItsPayloadAreReadable() {
        open("/ui/audit?entityKind=endpoint&entityId=" + demo.endpoint(), AUDITOR_TOKEN);
        assertThat(browser.all("#audit-results tr[data-type]")).extracting(e -> e.getDomAttribute("data-type"))
                .contains("annals.EndpointRevisionDeployed", "annals.EndpointRolledBack");
        WebElement rollback = browser.driver.findElement(By.cssSelector("tr[data-type='annals.EndpointRolledBack']"));
        rollback.findElement(By.tagName("summary")).click();
        assertThat(rollback.findElement(By.cssSelector("pre.payload")).getText())
                .contains("\"reason\": \"drift alert " + demo.alertId()).contains("\n");
        assertThat(rollback.getText()).contains("user:tester");
        browser.screenshot("audit");

        // the filter form keeps its values in the link, and an actor filter narrows the log
        browser.driver.findElement(By.linkText("Clear")).click();
        browser.awaitLoaded();
        browser.driver.findElement(By.id("filter-actor")).sendKeys("user:tester");
        browser.driver.findElement(By.id("filter-eventType")).sendKeys("annals.DatasetRegistered");
        browser.driver.findElement(By.cssSelector("#audit-filter button[type='submit']")).click();
        browser.await("the filtered page", d -> d.getCurrentUrl().contains("actor=user%3Atester"));
        browser.awaitLoaded();
        assertThat(browser.all("#audit-results tr[data-type]")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.getDomAttribute("data-type")).isEqualTo("annals.DatasetRegistered"));

        // the whole log has more than a page: the next page continues where the first ended
        browser.go("/ui/audit");
        browser.awaitLoaded();
        assertThat(browser.text("#audit-pager")).startsWith("events 1–50 of");
        browser.driver.findElement(By.linkText("Next page")).click();
        browser.await("the second page", d -> d.findElement(By.id("audit-pager")).getText().contains("events 51–100 of"));
    }
}
