package io.annals.workers.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.nn.LambdaBlock;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.annals.workers.training.MlpTrainer;
import io.annals.workers.training.Predictions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The predictor pool grows instead of making a request wait while every predictor is busy, up to its maximum, and
 * past it a request waits for the first predictor free. The model's block waits on a gate, so "busy" is certain.
 */
class PredictorPoolTest {

    /** Rows in, the first value of each row out as its score. */
    private static final class Echo implements Translator<Object[][], Predictions> {
        @Override
        public NDList processInput(TranslatorContext ctx, Object[][] rows) {
            float[] values = new float[rows.length];
            for (int i = 0; i < rows.length; i++) {
                values[i] = (Float) rows[i][0];
            }
            return new NDList(ctx.getNDManager().create(values));
        }

        @Override
        public Predictions processOutput(TranslatorContext ctx, NDList list) {
            return new Predictions(list.singletonOrThrow().toFloatArray(), null, null);
        }
    }

    @Test
    void givenEveryPredictorBusy_whenMoreRequestsArrive_thenThePoolGrowsToItsMaximumAndThenRequestsWait()
            throws Exception {
        Semaphore inside = new Semaphore(0);
        CountDownLatch gate = new CountDownLatch(1);
        Model model = Model.newInstance("gated", MlpTrainer.ENGINE);
        model.setBlock(new LambdaBlock(list -> {
            inside.release();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return list;
        }));
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try (PredictorPool pool = new PredictorPool(model, new Predictors(1, 3), Echo::new)) {
            assertThat(pool.size()).isEqualTo(1);
            List<Future<Predictions>> answers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                float value = i;
                answers.add(callers.submit(() -> pool.predict(new Object[][] {{value}})));
            }
            assertThat(inside.tryAcquire(3, 30, TimeUnit.SECONDS)).as("three requests predicting at once").isTrue();
            assertThat(pool.size()).isEqualTo(3);

            answers.add(callers.submit(() -> pool.predict(new Object[][] {{3f}})));
            assertThat(inside.tryAcquire(1, 300, TimeUnit.MILLISECONDS)).as("the fourth waits: the pool is full")
                    .isFalse();
            gate.countDown();
            for (int i = 0; i < 4; i++) {
                assertThat(answers.get(i).get(30, TimeUnit.SECONDS).scores()).containsExactly((float) i);
            }
            assertThat(pool.size()).isEqualTo(3);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void givenImpossibleSizes_thenRefused() {
        assertThatThrownBy(() -> new Predictors(0, 1)).hasMessageContaining("1 <= initial <= max");
        assertThatThrownBy(() -> new Predictors(3, 2)).hasMessageContaining("got 3 and 2");
    }
}
