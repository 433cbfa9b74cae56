package io.annals.workers.serving;

import java.io.IOException;
import java.io.InputStream;

/**
 * What the serving routes read of a request, whichever server took it: the servlet container on the main port
 * ({@link ServingServlet}) or the data plane's own listener ({@link DataPlaneServer}).
 */
interface ServingCall {

    /** The request's method, in capitals as sent. */
    String method();

    /** The decoded path, without the query. */
    String path();

    /** The first value of a header (its name in any case), or null when the request has none. */
    String header(String name);

    /** The body's declared length, or -1 when it is not declared (chunked, or no body). */
    long contentLength();

    /** The body as it arrives; empty when there is none. */
    InputStream body() throws IOException;
}
