package io.annals.workers.drift;

import io.annals.command.api.common.FeatureProfile;
import io.annals.command.api.common.ScoreBaseline;
import io.annals.command.api.drift.DriftFinding;
import io.annals.command.api.drift.DriftHistogram;
import io.annals.command.api.drift.DriftSeverity;
import io.annals.command.api.drift.DriftTest;
import io.annals.command.api.endpoint.DriftMonitorSettings;
import io.annals.command.api.endpoint.FeatureDriftRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One window's comparisons with its references: the score by PSI against the validation baseline, each input feature
 * by its test against its profile. A feature is binned like its reference — quantile bins for a numeric feature, one
 * bin per category otherwise, plus a bin for empty values when either side has them and one for categories the
 * reference never saw — so that every finding also has a PSI and a histogram to show. Kolmogorov–Smirnov and
 * Wasserstein read the reference through {@value #REFERENCE_SAMPLE} values of its quantile function (so a
 * Kolmogorov–Smirnov p-value counts at most that many reference values: it errs towards "no drift").
 */
final class FeatureTests {

    /** A feature is tested once a window has this many logged values of it. */
    static final int MIN_VALUES = 10;
    static final int REFERENCE_SAMPLE = 1_000;
    static final int HISTOGRAM_BINS = 30;
    static final String MISSING = "(missing)";
    static final String UNSEEN = "(unseen)";
    /** A statistic that is infinite (a constant reference that moved) is recorded as this. */
    private static final double LARGE = 1e12;

    private FeatureTests() {
    }

    /** The score's PSI against its baseline, with the endpoint's thresholds. */
    static DriftFinding score(ScoreBaseline baseline, double[] scores, int rows, DriftMonitorSettings settings,
                              Instant first, Instant last) {
        double[] live = ScoreDistribution.shares(baseline.binEdges(), scores, rows);
        double[] reference = baseline.fractions().stream().mapToDouble(Double::doubleValue).toArray();
        double psi = DriftStatistics.psi(reference, live);
        DriftSeverity severity = severity(DriftTest.PSI, psi, settings.psiThreshold(),
                settings.criticalPsiThreshold());
        List<String> labels = binLabels(baseline.binEdges());
        return new DriftFinding(null, DriftTest.PSI, psi, null, settings.psiThreshold(),
                settings.criticalPsiThreshold(), severity, psi, rows, first, last,
                new DriftHistogram(labels, baseline.binEdges(), boxed(reference), boxed(live),
                        baseline.sampleCount(), rows));
    }

    /**
     * The share of a window's rows that failed against the endpoint's {@code maxErrorRate}; its histogram shows the
     * rows served and failed, beside the shares the threshold allows.
     */
    static DriftFinding errorRate(int rows, int failed, DriftMonitorSettings settings, Instant first, Instant last) {
        double rate = (double) failed / rows;
        double threshold = settings.maxErrorRate();
        double critical = settings.criticalErrorRate();
        DriftSeverity severity = rate > critical || rate >= 1 ? DriftSeverity.CRITICAL
                : rate > threshold ? DriftSeverity.WARNING : null;
        double[] allowed = {1 - threshold, threshold};
        double[] live = {1 - rate, rate};
        return new DriftFinding(DriftFinding.ERRORS, DriftTest.ERROR_RATE, rate, null, threshold, critical, severity,
                DriftStatistics.psi(allowed, live), rows, first, last, new DriftHistogram(List.of("served",
                "failed"), null, boxed(allowed), boxed(live), 0, rows));
    }

    /**
     * One feature's test, or empty when it is not tested: switched off, too few logged values, or a reference without
     * values. Without a rule the test is chosen as Evidently chooses it, by the feature's type and the size of the
     * sample — here the window's, which is what the noise of a statistic depends on: up to 1,000 values a statistical
     * test, above a distance. A default p-value threshold is shared by the {@code tested} features of the window
     * (Bonferroni: 0.05 / tested), so that twenty features compared at once do not raise a false alarm in most
     * windows; a threshold given in a rule is used as it is.
     */
    static Optional<DriftFinding> feature(FeatureProfile profile, long referenceRows, List<Object> values,
                                          FeatureDriftRule rule, Instant first, Instant last, int tested) {
        if ((rule != null && !rule.enabled()) || values == null || values.size() < MIN_VALUES
                || profile.count() == 0) {
            return Optional.empty();
        }
        boolean categories = profile.readAsCategories();
        Bins bins = categories ? categoryBins(profile, values) : quantileBins(profile, values);
        DriftStatistics.Choice chosen = DriftStatistics.defaultFor(!categories, values.size(), profile.distinct());
        DriftStatistics.Choice defaults = new DriftStatistics.Choice(chosen.test(),
                shared(chosen.test(), chosen.threshold(), tested));
        DriftTest test = rule != null && rule.test() != null ? rule.test() : defaults.test();
        double threshold = rule != null && rule.threshold() != null ? rule.threshold()
                : rule != null && rule.test() != null ? shared(test, test.defaultThreshold(), tested)
                : defaults.threshold();
        double[] present = categories ? null : present(values);
        if ((test == DriftTest.KOLMOGOROV_SMIRNOV || test == DriftTest.WASSERSTEIN_NORMED)
                && (profile.quantiles() == null || present == null || present.length < 2)) {
            // a categorical feature (or one with no live value) has no distribution function: its default applies
            test = defaults.test();
            threshold = defaults.threshold();
            if (test == DriftTest.KOLMOGOROV_SMIRNOV || test == DriftTest.WASSERSTEIN_NORMED) {
                test = DriftTest.PSI;
                threshold = DriftTest.PSI.defaultThreshold();
            }
        }
        double critical = rule != null && rule.criticalThreshold() != null && test == rule.test()
                ? rule.criticalThreshold() : test.defaultCritical(threshold);
        double psi = DriftStatistics.psi(bins.reference, bins.live);
        DriftStatistics.Result result = switch (test) {
            case PSI -> new DriftStatistics.Result(psi, Double.NaN);
            case JENSEN_SHANNON -> new DriftStatistics.Result(
                    DriftStatistics.jensenShannon(bins.reference, bins.live), Double.NaN);
            case CHI_SQUARE -> DriftStatistics.chiSquare(bins.referenceCounts(referenceRows), bins.liveCounts);
            case PROPORTIONS_Z -> DriftStatistics.proportionsZ(Math.round(bins.reference[0] * referenceRows),
                    referenceRows, bins.liveCounts[0], values.size());
            case KOLMOGOROV_SMIRNOV -> DriftStatistics.kolmogorovSmirnov(reference(profile), present);
            case WASSERSTEIN_NORMED -> new DriftStatistics.Result(
                    DriftStatistics.wassersteinNormed(reference(profile), present), Double.NaN);
            case ERROR_RATE -> throw new IllegalStateException("ERROR_RATE does not test a feature");
        };
        if (Double.isNaN(result.statistic())) {
            return Optional.empty();
        }
        double statistic = Double.isInfinite(result.statistic()) ? Math.copySign(LARGE, result.statistic())
                : result.statistic();
        double pValue = result.pValue();
        DriftSeverity severity = severity(test, test.decisive(statistic, pValue), threshold, critical);
        return Optional.of(new DriftFinding(profile.feature(), test, statistic,
                test.statistical() && !Double.isNaN(pValue) ? pValue : null, threshold, critical, severity, psi,
                values.size(), first, last, bins.histogram(referenceRows, values.size())));
    }

    /** A default p-value threshold shared by the features tested at once (Bonferroni); a distance's as it is. */
    private static double shared(DriftTest test, double threshold, int tested) {
        return test.statistical() ? threshold / Math.max(1, tested) : threshold;
    }

    private static DriftSeverity severity(DriftTest test, double decisive, double threshold, double critical) {
        if (Double.isNaN(decisive)) {
            return null;
        }
        return test.passed(decisive, critical) ? DriftSeverity.CRITICAL
                : test.passed(decisive, threshold) ? DriftSeverity.WARNING : null;
    }

    private static double[] reference(FeatureProfile profile) {
        return InputProfiles.sample(profile.quantiles(), (int) Math.min(REFERENCE_SAMPLE, profile.count()));
    }

    private static double[] present(List<Object> values) {
        double[] out = new double[values.size()];
        int n = 0;
        for (Object v : values) {
            double d = InputProfiles.value(v);
            if (!Double.isNaN(d)) {
                out[n++] = d;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The reference's and the window's shares of the same bins, and the window's counts. */
    private record Bins(List<String> labels, List<Double> edges, double[] reference, double[] live,
                        long[] liveCounts) {

        /** Reference counts for chi-square; a bin the reference never filled counts half a row. */
        double[] referenceCounts(long referenceRows) {
            double[] counts = new double[reference.length];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = Math.max(0.5, reference[i] * referenceRows);
            }
            return counts;
        }

        /** The histogram to show: at most {@value #HISTOGRAM_BINS} bins, the rarest categories together. */
        DriftHistogram histogram(long referenceRows, long liveRows) {
            if (labels.size() <= HISTOGRAM_BINS) {
                return new DriftHistogram(labels, edges, boxed(reference), boxed(live), referenceRows, liveRows);
            }
            List<String> shown = new ArrayList<>(labels.subList(0, HISTOGRAM_BINS - 1));
            List<Double> ref = new ArrayList<>();
            List<Double> now = new ArrayList<>();
            double restReference = 0;
            double restLive = 0;
            for (int i = 0; i < labels.size(); i++) {
                if (i < HISTOGRAM_BINS - 1) {
                    ref.add(reference[i]);
                    now.add(live[i]);
                } else {
                    restReference += reference[i];
                    restLive += live[i];
                }
            }
            shown.add("(" + (labels.size() - HISTOGRAM_BINS + 1) + " more)");
            ref.add(restReference);
            now.add(restLive);
            return new DriftHistogram(shown, null, ref, now, referenceRows, liveRows);
        }
    }

    private static Bins quantileBins(FeatureProfile profile, List<Object> values) {
        List<Double> edges = profile.binEdges();
        int bins = edges.size() + 1;
        long[] counts = new long[bins + 1];
        for (Object v : values) {
            double d = InputProfiles.value(v);
            counts[Double.isNaN(d) ? bins : ScoreDistribution.bin(edges, d)]++;
        }
        boolean missing = profile.missing() > 0 || counts[bins] > 0;
        int size = missing ? bins + 1 : bins;
        double referenceTotal = profile.count() + profile.missing();
        double[] reference = new double[size];
        for (int i = 0; i < bins; i++) {
            reference[i] = profile.fractions().get(i) * profile.count() / referenceTotal;
        }
        List<String> labels = binLabels(edges);
        if (missing) {
            reference[bins] = profile.missing() / referenceTotal;
            labels.add(MISSING);
        }
        long[] liveCounts = Arrays.copyOf(counts, size);
        return new Bins(labels, edges, reference, shares(liveCounts, values.size()), liveCounts);
    }

    private static Bins categoryBins(FeatureProfile profile, List<Object> values) {
        List<Map.Entry<String, Long>> byCount = new ArrayList<>(profile.categories().entrySet());
        byCount.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        Map<String, Integer> index = new LinkedHashMap<>();
        for (Map.Entry<String, Long> category : byCount) {
            index.put(category.getKey(), index.size());
        }
        boolean numeric = profile.kind() == FeatureProfile.Kind.NUMERIC;
        Integer other = index.get(InputProfiles.OTHER);
        long[] counts = new long[index.size() + 2];
        int unseen = index.size();
        int missingBin = index.size() + 1;
        for (Object v : values) {
            String key = v == null ? null : numeric ? numericCategory(v) : v.toString();
            if (key == null) {
                counts[missingBin]++;
            } else {
                Integer at = index.get(key);
                counts[at != null ? at : other != null ? other : unseen]++;
            }
        }
        List<String> labels = new ArrayList<>(index.keySet());
        double referenceTotal = profile.count() + profile.missing();
        List<Double> reference = new ArrayList<>();
        for (Map.Entry<String, Long> category : byCount) {
            reference.add(category.getValue() / referenceTotal);
        }
        List<Long> live = new ArrayList<>();
        for (int i = 0; i < index.size(); i++) {
            live.add(counts[i]);
        }
        if (counts[unseen] > 0) {
            labels.add(UNSEEN);
            reference.add(0.0);
            live.add(counts[unseen]);
        }
        if (profile.missing() > 0 || counts[missingBin] > 0) {
            labels.add(MISSING);
            reference.add(profile.missing() / referenceTotal);
            live.add(counts[missingBin]);
        }
        long[] liveCounts = live.stream().mapToLong(Long::longValue).toArray();
        return new Bins(labels, null, reference.stream().mapToDouble(Double::doubleValue).toArray(),
                shares(liveCounts, values.size()), liveCounts);
    }

    private static String numericCategory(Object v) {
        double d = InputProfiles.value(v);
        return Double.isNaN(d) ? null : InputProfiles.category(d);
    }

    private static double[] shares(long[] counts, long total) {
        double[] out = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            out[i] = (double) counts[i] / total;
        }
        return out;
    }

    private static List<String> binLabels(List<Double> edges) {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i <= edges.size(); i++) {
            String lo = i == 0 ? "-∞" : format(edges.get(i - 1));
            String hi = i == edges.size() ? "∞" : format(edges.get(i));
            labels.add("[" + lo + ", " + hi + ")");
        }
        return labels;
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
