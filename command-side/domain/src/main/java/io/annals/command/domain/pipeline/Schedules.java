package io.annals.command.domain.pipeline;

import io.annals.command.api.pipeline.PipelineDefinition;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.springframework.scheduling.support.CronExpression;

/** A pipeline schedule's ticks: Spring's cron expressions, read in the schedule's time zone. */
final class Schedules {

    /** A tick older than this when it is considered fell while no command process ran. */
    static final Duration LATE = Duration.ofMinutes(1);
    /** How many ticks one consideration counts at most; the rest are counted the next time. */
    private static final int MAX_COUNTED = 100_000;

    /** The latest tick due and how many fell before it. */
    record Due(Instant tick, long missed) {
    }

    private Schedules() {
    }

    static CronExpression cron(PipelineDefinition.Schedule schedule) {
        try {
            return CronExpression.parse(schedule.cron());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cron expression '" + schedule.cron() + "' is invalid: "
                    + e.getMessage() + " (six fields, seconds first: '0 0 2 * * *' is 02:00 every day)");
        }
    }

    /** The first tick after {@code after}, or null when the expression never fires again. */
    static Instant next(PipelineDefinition.Schedule schedule, Instant after) {
        ZonedDateTime next = cron(schedule).next(after.atZone(ZoneId.of(schedule.zone())));
        return next == null ? null : next.toInstant();
    }

    /** The latest tick in ({@code after}, {@code now}], if any, with the number of ticks before it. */
    static Optional<Due> due(PipelineDefinition.Schedule schedule, Instant after, Instant now) {
        CronExpression cron = cron(schedule);
        ZonedDateTime next = cron.next(after.atZone(ZoneId.of(schedule.zone())));
        if (next == null || next.toInstant().isAfter(now)) {
            return Optional.empty();
        }
        ZonedDateTime latest = next;
        long count = 1;
        while (count < MAX_COUNTED) {
            ZonedDateTime following = cron.next(latest);
            if (following == null || following.toInstant().isAfter(now)) {
                break;
            }
            latest = following;
            count++;
        }
        return Optional.of(new Due(latest.toInstant(), count - 1));
    }
}
