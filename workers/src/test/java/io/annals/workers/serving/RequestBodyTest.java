package io.annals.workers.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** How the prediction routes read a body: whole when within the limit, refused unread or one byte past it when not. */
class RequestBodyTest {

    private static final int LIMIT = 1024;

    @Test
    void aBodyWithinTheLimit_isReadWhole() {
        byte[] body = new byte[LIMIT];
        body[LIMIT - 1] = 7;

        assertThat(RequestParts.body(request(body, true), LIMIT)).isEqualTo(body);
        assertThat(RequestParts.body(request(body, false), LIMIT)).isEqualTo(body);
        assertThat(RequestParts.body(request(new byte[0], true), LIMIT)).isEmpty();
    }

    @Test
    void aLargerDeclaredBody_isRefusedBeforeAByteIsRead() {
        CountingRequest request = request(new byte[LIMIT + 1], true);

        assertThatThrownBy(() -> RequestParts.body(request, LIMIT)).isInstanceOfSatisfying(Inference.Refused.class,
                refused -> {
                    assertThat(refused.status()).isEqualTo(413);
                    assertThat(refused.getMessage()).isEqualTo("the request body has 1025 bytes; the limit is 1024 "
                            + "bytes (annals.workers.serving.max-body-bytes)");
                });
        assertThat(request.read).isZero();
    }

    @Test
    void aLargerUndeclaredBody_isRefusedOneBytePastTheLimit() {
        CountingRequest request = request(new byte[10 * LIMIT], false);

        assertThatThrownBy(() -> RequestParts.body(request, LIMIT)).isInstanceOfSatisfying(Inference.Refused.class,
                refused -> assertThat(refused.getMessage()).startsWith("the request body has more than 1024 bytes"));
        assertThat(request.read).isEqualTo(LIMIT + 1);
    }

    private static CountingRequest request(byte[] body, boolean declared) {
        return new CountingRequest(body, declared);
    }

    /** A request whose body counts the bytes taken from it, with or without a declared length (chunked). */
    private static final class CountingRequest implements ServingCall {

        private final byte[] body;
        private final boolean declared;
        private long read;

        CountingRequest(byte[] body, boolean declared) {
            this.body = body;
            this.declared = declared;
        }

        @Override
        public String method() {
            return "POST";
        }

        @Override
        public String path() {
            return "/v1/endpoints/e/predict";
        }

        @Override
        public String header(String name) {
            return null;
        }

        @Override
        public long contentLength() {
            return declared ? body.length : -1;
        }

        @Override
        public InputStream body() {
            return new ByteArrayInputStream(body) {
                @Override
                public synchronized int read(byte[] b, int off, int len) {
                    int n = super.read(b, off, len);
                    read += Math.max(n, 0);
                    return n;
                }

                @Override
                public synchronized int read() {
                    int b = super.read();
                    read += b < 0 ? 0 : 1;
                    return b;
                }
            };
        }
    }
}
