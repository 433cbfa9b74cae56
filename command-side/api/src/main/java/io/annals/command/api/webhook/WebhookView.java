package io.annals.command.api.webhook;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.Positioned;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A webhook as the API shows it: never its URL's path or its secret. */
public record WebhookView(String id, String url, List<String> events, boolean active, Instant registeredAt,
                          Actor registeredBy, Instant removedAt, Actor removedBy, List<Replay> replays,
                          long position) implements Positioned {

    /** A replay: from where, who asked, and when the dispatcher took it on. */
    public record Replay(String replayId, Long fromPosition, Instant fromTime, Instant requestedAt,
                         Actor requestedBy, Instant startedAt) {
    }

    public WebhookView {
        events = List.copyOf(events);
        replays = List.copyOf(replays);
    }

    public static WebhookView registered(WebhookRegistered e, Instant at, Actor by, long position) {
        return new WebhookView(e.webhookId().value(), e.displayUrl(), e.events(), true, at, by, null, null,
                List.of(), position);
    }

    public WebhookView removed(Instant at, Actor by, long atPosition) {
        return new WebhookView(id, url, events, false, registeredAt, registeredBy, at, by, replays, atPosition);
    }

    public WebhookView replayRequested(WebhookReplayRequested e, Instant at, Actor by, long atPosition) {
        List<Replay> next = new ArrayList<>(replays);
        next.add(new Replay(e.replayId(), e.fromPosition(), e.fromTime(), at, by, null));
        return new WebhookView(id, url, events, active, registeredAt, registeredBy, removedAt, removedBy, next,
                atPosition);
    }

    public WebhookView replayStarted(String replayId, Instant at, long atPosition) {
        List<Replay> next = replays.stream().map(r -> r.replayId().equals(replayId)
                ? new Replay(r.replayId(), r.fromPosition(), r.fromTime(), r.requestedAt(), r.requestedBy(), at)
                : r).toList();
        return new WebhookView(id, url, events, active, registeredAt, registeredBy, removedAt, removedBy, next,
                atPosition);
    }
}
