package io.annals.app.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Tabular data with a known rule, so a trained model can be checked: a customer defaults ({@code label} = 1) when
 * 1.5·utilisation − income + 0.5·late_payments + noise > 0. Shifted data moves utilisation up, as a change in the
 * population would, which moves the model's scores and must trip the drift monitor.
 */
final class SyntheticData {

    static final String HEADER = "utilisation,income,late_payments,label";

    private SyntheticData() {
    }

    static double[] row(Random r, double shift) {
        double utilisation = r.nextGaussian() + shift;
        double income = r.nextGaussian();
        double late = Math.floor(Math.abs(r.nextGaussian()) * 2);
        double label = 1.5 * utilisation - income + 0.5 * (late - 1.6) + 0.3 * r.nextGaussian() > 0 ? 1 : 0;
        return new double[] {utilisation, income, late, label};
    }

    static Path csv(Path file, int rows, long seed, double shift) {
        Random r = new Random(seed);
        try (Writer out = Files.newBufferedWriter(file)) {
            out.write(HEADER + "\n");
            for (int i = 0; i < rows; i++) {
                double[] x = row(r, shift);
                out.write(x[0] + "," + x[1] + "," + (long) x[2] + "," + (long) x[3] + "\n");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
