package io.annals.workers.serving;

import java.io.IOException;
import java.io.InputStream;

/** Bodies of the prediction routes. */
final class RequestParts {

    private RequestParts() {
    }

    /**
     * The request's body, read here rather than bound by a message converter: a body larger than {@code maxBytes} is
     * refused (413) by its declared length, or after reading one byte more than the limit, before anything parses it.
     * The JSON route once bound its body through Spring's converters into maps of rows, which cost it more at the
     * median and in the tail than the V2 route's own reading of the bytes (ServingBenchmarkIT); both read it here now.
     *
     * @return the body; empty when there is none
     */
    static byte[] body(ServingCall request, int maxBytes) {
        long declared = request.contentLength();
        if (declared > maxBytes) {
            throw tooLarge(declared + " bytes", maxBytes);
        }
        try (InputStream in = request.body()) {
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                throw tooLarge("more than " + maxBytes + " bytes", maxBytes);
            }
            return body;
        } catch (IOException e) {
            throw new Inference.Refused(400, "the request body could not be read: " + e.getMessage());
        }
    }

    private static Inference.Refused tooLarge(String size, int maxBytes) {
        return new Inference.Refused(413, "the request body has " + size + "; the limit is " + maxBytes
                + " bytes (annals.workers.serving.max-body-bytes)");
    }
}
