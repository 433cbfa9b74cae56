package io.annals.workers.webhook;

import io.annals.command.api.webhook.StartWebhookReplay;
import io.annals.command.api.webhook.WebhookId;
import io.annals.command.api.webhook.WebhookRegistered;
import io.annals.command.api.webhook.WebhookRemoved;
import io.annals.command.api.webhook.WebhookReplayRequested;
import io.annals.command.api.webhook.WebhookReplayStarted;
import io.annals.infra.clients.KafkaClients;
import io.annals.infra.clients.SecretBox;
import io.annals.workers.events.EventEnvelope;
import io.annals.workers.events.EventSource;
import io.annals.workers.events.RetainedEvents;
import io.annals.workers.port.CommandPort;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the event log for webhooks: once caught up, runs a {@link WebhookLane} for each webhook that is registered
 * and not removed, stops the lane of one that is removed, and hands each replay that was asked for and not yet taken
 * on to its lane (taking it on is a command, so a replay runs once even across restarts).
 */
public final class WebhookDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final EventSource events;
    private final KafkaClients kafka;
    private final CommandPort commands;
    private final SecretBox secrets;
    private final DeliverySettings settings;
    private final HttpClient http;
    /** A webhook registered and not removed, and when it was registered (where its deliveries start). */
    private record Registration(WebhookRegistered webhook, java.time.Instant at) {
    }

    private final Map<WebhookId, Registration> registered = new LinkedHashMap<>();
    private final Map<WebhookId, WebhookLane> lanes = new java.util.concurrent.ConcurrentHashMap<>();
    /** Webhooks whose URL or secret this platform's key cannot open (the key was changed): told once. */
    private final Set<WebhookId> unopenable = new java.util.HashSet<>();
    private final Map<String, WebhookReplayRequested> replays = new LinkedHashMap<>();
    private final RetainedEvents retained = new RetainedEvents();

    public WebhookDispatcher(EventSource events, KafkaClients kafka, CommandPort commands, SecretBox secrets,
                             DeliverySettings settings) {
        this.events = events;
        this.kafka = kafka;
        this.commands = commands;
        this.secrets = secrets;
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    }

    public void step() {
        for (EventEnvelope e : events.poll(Duration.ofMillis(events.caughtUp() ? 200 : 500))) {
            if (e.payload() instanceof WebhookRegistered r) {
                registered.put(r.webhookId(), new Registration(r, e.timestamp()));
                retained.add("webhook:" + r.webhookId().value(), e);
            } else if (e.payload() instanceof WebhookRemoved r) {
                retained.remove("webhook:" + r.webhookId().value());
                registered.remove(r.webhookId());
                WebhookLane lane = lanes.remove(r.webhookId());
                if (lane != null) {
                    lane.close();
                    log.info("Webhook {} removed: its lane stopped", r.webhookId());
                }
            } else if (e.payload() instanceof WebhookReplayRequested r) {
                replays.put(r.replayId(), r);
                retained.add("replay:" + r.replayId(), e);
            } else if (e.payload() instanceof WebhookReplayStarted r) {
                replays.remove(r.replayId());
                retained.remove("replay:" + r.replayId());
            }
        }
        events.offerSnapshot(retained::events);
        if (!events.caughtUp()) {
            return;
        }
        registered.keySet().stream().filter(id -> !lanes.containsKey(id) && !unopenable.contains(id)).toList()
                .forEach(this::startLane);
        for (var it = replays.values().iterator(); it.hasNext(); ) {
            WebhookReplayRequested replay = it.next();
            WebhookLane lane = lanes.get(replay.webhookId());
            it.remove();
            if (lane == null) {
                continue;
            }
            Boolean taken = commands.send(new StartWebhookReplay(replay.webhookId(), replay.replayId()),
                    WebhookLane.ACTOR, null);
            if (Boolean.TRUE.equals(taken)) {
                lane.replay(new WebhookLane.Replay(replay.replayId(), replay.fromPosition(), replay.fromTime()));
            }
        }
    }

    private void startLane(WebhookId id) {
        Registration registration = registered.get(id);
        WebhookRegistered webhook = registration.webhook();
        WebhookLane.Definition definition;
        try {
            definition = new WebhookLane.Definition(id, URI.create(secrets.open(webhook.sealedUrl())),
                    secrets.open(webhook.sealedSecret()), Set.copyOf(webhook.events()), registration.at());
        } catch (IllegalArgumentException e) {
            unopenable.add(id);
            log.error("Webhook {} cannot be delivered to: {}. Register it again under this key.", id,
                    e.getMessage());
            return;
        }
        WebhookLane lane = new WebhookLane(definition, kafka, http, commands, settings);
        lanes.put(id, lane);
        lane.start();
    }

    public void wakeup() {
        events.wakeup();
    }

    @Override
    public void close() {
        lanes.values().forEach(WebhookLane::close);
        lanes.clear();
        events.close();
    }
}
