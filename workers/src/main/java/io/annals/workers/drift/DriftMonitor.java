package io.annals.workers.drift;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.KafkaTopics;
import io.annals.command.api.common.ScoreBaseline;
import io.annals.command.api.common.ScoreRecord;
import io.annals.command.api.drift.DriftAlertId;
import io.annals.command.api.drift.DriftAlertRaised;
import io.annals.command.api.drift.DriftAlertResolved;
import io.annals.command.api.drift.RaiseDriftAlert;
import io.annals.command.api.endpoint.DriftMonitorConfigured;
import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.model.ModelVersionRegistered;
import io.annals.workers.events.EventEnvelope;
import io.annals.workers.events.EventStream;
import io.annals.workers.events.WireJson;
import io.annals.workers.port.CommandPort;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares live scores with each model version's validation baseline. Scores are grouped per endpoint and model
 * version into tumbling windows of the endpoint's window size; a window whose PSI exceeds the endpoint's threshold
 * raises a drift alert, unless one is already open for that endpoint and version.
 */
public final class DriftMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DriftMonitor.class);
    private static final Actor ACTOR = Actor.service("drift-monitor");

    private record Target(String endpoint, String model, int version) {
    }

    private record Settings(double threshold, int windowSize) {
    }

    private final EventStream events;
    private final KafkaConsumer<String, byte[]> scores;
    private final CommandPort commands;
    private final Settings defaults;
    private final Map<String, ScoreBaseline> baselines = new HashMap<>();
    private final Map<String, Settings> settings = new HashMap<>();
    private final Set<String> openAlerts = new HashSet<>();
    private final Map<Target, double[]> windows = new HashMap<>();
    private final Map<Target, Integer> filled = new HashMap<>();

    public DriftMonitor(String bootstrap, EventStream events, CommandPort commands, double defaultThreshold,
                        int defaultWindowSize) {
        this.events = events;
        this.commands = commands;
        this.defaults = new Settings(defaultThreshold, defaultWindowSize);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "annals-drift-monitor");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "annals-drift-monitor");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        scores = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        scores.subscribe(List.of(KafkaTopics.SCORES));
    }

    public void step() {
        for (EventEnvelope e : events.poll(Duration.ofMillis(events.caughtUp() ? 20 : 200))) {
            apply(e.payload());
        }
        if (!events.caughtUp()) {
            return;
        }
        var records = scores.poll(Duration.ofMillis(200));
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                observe(WireJson.mapper().readValue(record.value(), ScoreRecord.class));
            } catch (IOException e) {
                log.warn("skipping an unreadable score record at offset {}: {}", record.offset(), e.toString());
            }
        }
        if (!records.isEmpty()) {
            scores.commitSync();
        }
    }

    private void apply(Object event) {
        if (event instanceof ModelVersionRegistered v) {
            baselines.put(key(v.model().value(), v.version()), v.baseline());
        } else if (event instanceof DriftMonitorConfigured c) {
            settings.put(c.endpoint().value(), new Settings(c.psiThreshold(), c.windowSize()));
        } else if (event instanceof DriftAlertRaised r) {
            openAlerts.add(r.alertId().value());
        } else if (event instanceof DriftAlertResolved r) {
            openAlerts.remove(r.alertId().value());
        }
    }

    private void observe(ScoreRecord score) {
        ScoreBaseline baseline = baselines.get(key(score.model(), score.version()));
        if (baseline == null) {
            return;
        }
        Settings s = settings.getOrDefault(score.endpoint(), defaults);
        Target target = new Target(score.endpoint(), score.model(), score.version());
        double[] window = windows.computeIfAbsent(target, t -> new double[s.windowSize()]);
        if (window.length != s.windowSize()) {
            window = new double[s.windowSize()];
            windows.put(target, window);
            filled.put(target, 0);
        }
        int n = filled.getOrDefault(target, 0);
        window[n++] = score.score();
        if (n < window.length) {
            filled.put(target, n);
            return;
        }
        filled.put(target, 0);
        double psi = ScoreDistribution.psi(baseline, window);
        log.info("Drift window of {} on endpoint {} (model '{}' version {}): PSI {} (threshold {})", window.length,
                score.endpoint(), score.model(), score.version(), String.format(java.util.Locale.ROOT, "%.4f", psi),
                s.threshold());
        if (psi <= s.threshold()) {
            return;
        }
        EndpointName endpoint = EndpointName.of(score.endpoint());
        ModelName model = ModelName.of(score.model());
        DriftAlertId id = DriftAlertId.forTarget(endpoint, model, score.version());
        if (openAlerts.contains(id.value())) {
            return;
        }
        Boolean raised = commands.send(new RaiseDriftAlert(id, endpoint, model, score.version(), psi, s.threshold(),
                window.length, score.at()), ACTOR, null);
        openAlerts.add(id.value());
        if (Boolean.TRUE.equals(raised)) {
            log.warn("Drift alert raised for endpoint {} model '{}' version {}: PSI {} > {}", score.endpoint(),
                    score.model(), score.version(), psi, s.threshold());
        }
    }

    private static String key(String model, int version) {
        return model + "#" + version;
    }


    public void wakeup() {
        events.wakeup();
        scores.wakeup();
    }

    @Override
    public void close() {
        events.close();
        scores.close(Duration.ofSeconds(5));
    }
}
