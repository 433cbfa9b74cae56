package io.annals.workers.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The input buffer a predictor keeps: direct, native order, exactly the rows' size, and the same one while it fits. */
class KeptInputTest {

    @Test
    void smallInputs_reuseOneDirectBuffer_ofExactlyTheirSize() {
        KeptInput input = new KeptInput();

        ByteBuffer four = input.floats(4);
        four.asFloatBuffer().put(new float[] {1, 2, 3, 4});
        ByteBuffer two = input.floats(2);

        assertThat(two).isSameAs(four);
        assertThat(two.isDirect()).isTrue();
        assertThat(two.order()).isEqualTo(ByteOrder.nativeOrder());
        assertThat(two.position()).isZero();
        assertThat(two.remaining()).isEqualTo(2 * Float.BYTES);
        assertThat(input.floats(2000).remaining()).isEqualTo(2000 * Float.BYTES); // grown past 4 KiB
        assertThat(input.floats(3)).isSameAs(input.floats(3));
    }

    @Test
    void anInputLargerThanWhatIsKept_getsABufferOfItsOwn() {
        KeptInput input = new KeptInput();
        ByteBuffer small = input.floats(10);

        ByteBuffer large = input.floats(KeptInput.MAX_KEPT_BYTES / Float.BYTES + 1);

        assertThat(large).isNotSameAs(small);
        assertThat(large.isDirect()).isTrue();
        assertThat(large.order()).isEqualTo(ByteOrder.nativeOrder());
        assertThat(large.remaining()).isEqualTo(KeptInput.MAX_KEPT_BYTES + Float.BYTES);
        assertThat(input.floats(10)).isSameAs(small);
    }
}
