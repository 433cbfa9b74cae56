package io.annals.workers.serving;

import io.annals.command.api.endpoint.EndpointRevisionDeployed;
import io.annals.command.api.endpoint.EndpointRolledBack;
import io.annals.command.api.endpoint.ServingTarget;
import io.annals.workers.events.EventEnvelope;
import io.annals.workers.events.EventSource;
import io.annals.workers.events.RetainedEvents;
import io.annals.workers.storage.ArtifactStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which model version each endpoint serves. It follows the endpoints' revisions on the event log; a new revision
 * becomes live only once its model is loaded (downloaded, digest checked, loaded into DJL), so requests never wait
 * for a load and never see a half-loaded model. A rollback to a version loaded before switches at once.
 */
public final class ServingRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServingRegistry.class);

    /**
     * What answers an endpoint's requests now: one or more model versions, each with its share of traffic, and the
     * shadow versions that receive a share of the requests mirrored.
     */
    public record Live(String endpoint, int revision, List<Served> targets, List<Served> shadows) {

        public Live {
            targets = List.copyOf(targets);
            shadows = List.copyOf(shadows);
        }

        /** The revision's targets, the answering ones apart from the shadows. */
        static Live of(String endpoint, int revision, List<Served> all) {
            return new Live(endpoint, revision, all.stream().filter(s -> !s.target().shadow()).toList(),
                    all.stream().filter(s -> s.target().shadow()).toList());
        }

        /** Chooses the version for one request, in proportion to the targets' traffic shares. */
        public Served pick() {
            return pick(java.util.concurrent.ThreadLocalRandom.current().nextInt(100));
        }

        /**
         * Chooses by a routing key: the same key reaches the same version of a split for as long as the split stays
         * as it is (the key's hash, not the request, draws the share), and keys still spread by the shares.
         */
        public Served pick(String routingKey) {
            return routingKey == null ? pick() : pick(bucket(routingKey));
        }

        /** A key's place in 0..99: a 64-bit FNV-1a hash of its UTF-8 bytes, so every replica agrees. */
        static int bucket(String routingKey) {
            long hash = 0xcbf29ce484222325L;
            for (byte b : routingKey.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                hash ^= b & 0xFF;
                hash *= 0x100000001b3L;
            }
            return (int) Long.remainderUnsigned(hash, 100);
        }

        /**
         * Whether a request is mirrored to a shadow: by the routing key's bucket when there is one (so the same keys
         * are mirrored), else by a random draw, in proportion to the shadow's share.
         */
        public boolean mirrors(Served shadow, String routingKey) {
            int draw = routingKey == null ? java.util.concurrent.ThreadLocalRandom.current().nextInt(100)
                    : bucket(routingKey);
            return draw < shadow.target().trafficPercent();
        }

        private Served pick(int draw) {
            int cumulative = 0;
            for (Served served : targets) {
                cumulative += served.target().trafficPercent();
                if (draw < cumulative) {
                    return served;
                }
            }
            return targets.get(targets.size() - 1);
        }
    }

    /** A target of a revision with its loaded model. */
    public record Served(ServingTarget target, ServedModel model) {
    }

    private record Key(String model, int version) {
    }

    private final EventSource events;
    private final ArtifactStore store;
    private final Path workDirectory;
    private final Predictors predictorsPerModel;
    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private final Map<String, Revision> latest = new java.util.LinkedHashMap<>();
    private final RetainedEvents retained = new RetainedEvents();
    private final Map<String, Integer> wanted = new ConcurrentHashMap<>();
    private final Map<String, String> loadFailures = new ConcurrentHashMap<>();
    private final Map<Key, CompletableFuture<ServedModel>> models = new ConcurrentHashMap<>();
    private final ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "annals-model-loader");
        t.setDaemon(true);
        return t;
    });

    private final ServingMetrics metrics;

    public ServingRegistry(EventSource events, ArtifactStore store, Path workDirectory, Predictors predictorsPerModel,
                           ServingMetrics metrics) {
        this.metrics = metrics;
        this.events = events;
        this.store = store;
        this.workDirectory = workDirectory;
        this.predictorsPerModel = predictorsPerModel;
    }

    public void step() {
        for (EventEnvelope e : events.poll(Duration.ofMillis(200))) {
            if (e.payload() instanceof EndpointRevisionDeployed d) {
                latest.put(d.endpoint().value(), new Revision(d.revision(), d.targets()));
                retained.set("endpoint:" + d.endpoint().value(), e);
            } else if (e.payload() instanceof EndpointRolledBack r) {
                latest.put(r.endpoint().value(), new Revision(r.newRevision(), r.targets()));
                retained.set("endpoint:" + r.endpoint().value(), e);
            }
        }
        // each endpoint's last revision is all a replica needs to serve it
        events.offerSnapshot(retained::events);
        // while replaying history only the last revision of each endpoint matters: load nothing before that
        if (events.caughtUp() && !latest.isEmpty()) {
            latest.forEach((endpoint, revision) -> switchTo(endpoint, revision.number(), revision.targets()));
            latest.clear();
        }
    }

    private record Revision(int number, List<ServingTarget> targets) {
    }

    private void switchTo(String endpoint, int revision, List<ServingTarget> targets) {
        wanted.put(endpoint, revision);
        List<CompletableFuture<ServedModel>> loads = targets.stream().map(target -> models.computeIfAbsent(
                new Key(target.model().value(), target.version()),
                k -> CompletableFuture.supplyAsync(() -> load(target), loader))).toList();
        CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).whenComplete((ignored, error) -> {
            if (wanted.get(endpoint) != revision) {
                return;
            }
            if (error != null) {
                String reason = (error.getCause() == null ? error : error.getCause()).getMessage();
                loadFailures.put(endpoint, "revision " + revision + " could not be loaded: " + reason);
                models.values().removeIf(CompletableFuture::isCompletedExceptionally);
                log.error("Endpoint {}: {}", endpoint, loadFailures.get(endpoint));
                return;
            }
            loadFailures.remove(endpoint);
            List<Served> served = new java.util.ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                served.add(new Served(targets.get(i), loads.get(i).join()));
            }
            live.put(endpoint, Live.of(endpoint, revision, served));
            if (events.caughtUp()) {
                log.info("Endpoint {} now serves revision {}: {}", endpoint, revision, served.stream()
                        .map(t -> "model '" + t.target().model() + "' version " + t.target().version() + " ("
                                + t.target().trafficPercent() + "%" + (t.target().shadow() ? " mirrored" : "") + ")")
                        .toList());
            }
        });
    }

    private ServedModel load(ServingTarget target) {
        String name = target.model().value() + "-v" + target.version();
        try {
            Path dir = Files.createDirectories(workDirectory.resolve(name));
            Path file = dir.resolve(target.imported() == null ? "artifact.zip" : "model.onnx");
            long begin = System.nanoTime();
            store.fetchVerified(target.artifact(), file);
            ServedModel model = target.imported() == null
                    ? LoadedModel.load(file, dir.resolve("unpacked-" + System.nanoTime()), predictorsPerModel)
                    : OnnxModel.load(file, dir.resolve("onnx-" + System.nanoTime()), target.model().value(),
                            target.imported().task(), target.imported(), predictorsPerModel);
            long took = System.nanoTime() - begin;
            metrics.modelLoaded(target, took);
            log.info("Loaded model '{}' version {} from {} (SHA-256 verified) in {} ms", target.model(),
                    target.version(), target.artifact().location(), took / 1_000_000);
            return model;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public Optional<Live> live(String endpoint) {
        return Optional.ofNullable(live.get(endpoint));
    }

    /** Why an endpoint cannot answer: unknown, still loading its first model, or its model failed to load. */
    public String unavailableReason(String endpoint) {
        if (!wanted.containsKey(endpoint)) {
            return "endpoint '" + endpoint + "' does not exist or has no deployed model";
        }
        return loadFailures.getOrDefault(endpoint, "endpoint '" + endpoint + "' is loading its model");
    }

    public boolean knows(String endpoint) {
        return wanted.containsKey(endpoint);
    }

    public void wakeup() {
        events.wakeup();
    }

    @Override
    public void close() {
        loader.shutdownNow();
        events.close();
        models.values().forEach(f -> f.thenAccept(ServedModel::close));
    }
}
