package io.annals.app.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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

    /** Customers with a latent risk: riskier ones buy more often and spend more, and default more often. */
    static final String TRANSACTIONS_HEADER = "customer,at,amount";
    static final String LABELS_HEADER = "customer,as_of,defaulted";
    static final Instant START = Instant.parse("2026-10-01T00:00:00Z");

    private static double risk(int customer) {
        return new Random(customer * 7919L).nextDouble();
    }

    /** Transactions over 60 days from {@code START}: each customer's rate and amounts grow with its risk. */
    static Path transactions(Path file, int customers, long seed) {
        Random r = new Random(seed);
        try (Writer out = Files.newBufferedWriter(file)) {
            out.write(TRANSACTIONS_HEADER + "\n");
            for (int c = 0; c < customers; c++) {
                double risk = risk(c);
                int count = 5 + (int) (risk * 60);
                for (int i = 0; i < count; i++) {
                    Instant at = START.plusSeconds(r.nextInt(60 * 86_400));
                    double amount = Math.round((10 + risk * 200) * (0.5 + r.nextDouble()) * 100) / 100.0;
                    out.write("c" + c + "," + at + "," + amount + "\n");
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether each customer defaulted, observed at an instant in the last 30 of those days. */
    static Path defaults(Path file, int customers, int rows, long seed) {
        Random r = new Random(seed);
        try (Writer out = Files.newBufferedWriter(file)) {
            out.write(LABELS_HEADER + "\n");
            for (int i = 0; i < rows; i++) {
                int c = r.nextInt(customers);
                Instant asOf = START.plusSeconds(30 * 86_400 + r.nextInt(30 * 86_400));
                out.write("c" + c + "," + asOf + "," + (r.nextDouble() < risk(c) ? 1 : 0) + "\n");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
