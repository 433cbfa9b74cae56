package io.annals.app.records;

import io.annals.command.domain.dataset.DatasetCatalog;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The record read in place, imported by RolesConfiguration into a process with the command role. No
 * {@code @Configuration} here, so that component scanning does not pick it up everywhere.
 */
public class LocalRecordsConfiguration {

    @Bean
    LocalRecords commandRecords(EventStore events, JdbcTemplate jdbc, DatasetCatalog datasets) {
        return new LocalRecords(events, jdbc, datasets);
    }
}
