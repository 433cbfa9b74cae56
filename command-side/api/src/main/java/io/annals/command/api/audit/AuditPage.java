package io.annals.command.api.audit;

import java.util.List;
import java.util.Map;

/** One page of audit events; each event is a map of its recorded fields. */
public record AuditPage(List<Map<String, Object>> events, List<String> cursors, boolean hasNextPage,
                        long totalCount) {
}
