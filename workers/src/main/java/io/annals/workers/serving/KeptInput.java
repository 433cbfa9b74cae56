package io.annals.workers.serving;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The direct buffer a predictor's translator writes a request's rows into, kept from one request to the next (a
 * predictor serves one request at a time, {@link PredictorPool}). Both engines read a direct buffer in place — PyTorch
 * through {@code torchFromBlob}, ONNX Runtime by pointing its tensor at it — and the tensor goes with the request's
 * NDManager before the next request writes. DJL's {@code create(float[][])} and {@code create(float[], Shape)}
 * instead allocated direct buffers for every request, each with a {@code Cleaner}: at 1,000-2,000 single-row
 * predictions a second, 16,000 phantom references for each young collection to process, up to 18 ms of its pause
 * (JFR's {@code GCPhasePauseLevel1} "Notify PhantomReferences", ServingBenchmarkIT).
 */
final class KeptInput {

    /** A batch larger than this gets a buffer of its own rather than one kept by every predictor. */
    static final int MAX_KEPT_BYTES = 1 << 20;

    private ByteBuffer kept;

    /** A native-order direct buffer with exactly {@code count} floats remaining, positioned at its start. */
    ByteBuffer floats(int count) {
        int bytes = Math.multiplyExact(count, Float.BYTES);
        if (bytes > MAX_KEPT_BYTES) {
            return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        if (kept == null || kept.capacity() < bytes) {
            kept = ByteBuffer.allocateDirect(Math.max(bytes, 4096)).order(ByteOrder.nativeOrder());
        }
        kept.clear().limit(bytes);
        return kept;
    }
}
