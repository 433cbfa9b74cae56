package io.annals.command.api.trainingrun;

import java.util.List;
import java.util.Map;

/** A named metric value (auc, accuracy, rmse…). */
public record Metric(String name, double value) {

    /** Metrics sorted by name, the order the API shows them in. */
    public static List<Metric> list(Map<String, Double> metrics) {
        return metrics == null ? List.of() : metrics.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new Metric(e.getKey(), e.getValue())).toList();
    }
}
