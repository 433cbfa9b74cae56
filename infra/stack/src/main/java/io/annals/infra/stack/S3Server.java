package io.annals.infra.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/** An S3 server (s3proxy) in this JVM, storing objects as files under the data directory. */
final class S3Server implements AutoCloseable {

    static final String ACCESS_KEY = "annals";
    static final String SECRET_KEY = "annals-embedded-secret";
    static final String REGION = "us-east-1";

    private final S3Proxy proxy;
    private final String endpoint;

    private S3Server(S3Proxy proxy, String endpoint) {
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    static S3Server start(Path directory) {
        try {
            Files.createDirectories(directory);
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(new FilesystemNio2BlobStore(directory.toString()))
                    .endpoint(URI.create("http://127.0.0.1:0")) // binds a port of its own: no race
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    .build();
            proxy.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3 server did not start: state " + proxy.getState());
                }
                Thread.sleep(10);
            }
            return new S3Server(proxy, "http://127.0.0.1:" + proxy.getPort());
        } catch (IOException e) {
            throw new UncheckedIOException("S3 server did not start in " + directory, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the S3 server", e);
        } catch (Exception e) {
            throw new IllegalStateException("S3 server did not start in " + directory + ": " + e, e);
        }
    }

    String endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3 server did not stop cleanly", e);
        }
    }
}
