package io.annals.workers.storage;

import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.common.DomainException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The artifact store on S3. Locations are {@code s3://bucket/key}; writes are conditional (If-None-Match: *). */
public final class S3ArtifactStore implements ArtifactStore {

    private static final Logger log = LoggerFactory.getLogger(S3ArtifactStore.class);

    private final S3Client s3;
    private final String bucket;

    public S3ArtifactStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    public void createBucketIfMissing() {
        try {
            s3.createBucket(b -> b.bucket(bucket));
            log.info("Created S3 bucket {}", bucket);
        } catch (BucketAlreadyOwnedByYouException e) {
            log.debug("bucket {} exists", bucket);
        } catch (S3Exception e) {
            if (e.statusCode() != 409) {
                throw e;
            }
        }
    }

    @Override
    public ArtifactRef putOnce(String key, Path file, String sha256) {
        try {
            long size = Files.size(file);
            s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).ifNoneMatch("*")
                            .metadata(java.util.Map.of("sha256", sha256)).contentLength(size).build(),
                    RequestBody.fromFile(file));
            return new ArtifactRef(location(key), sha256, size);
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                // a retried PUT whose first attempt landed finds its own bytes: that is success, not a conflict
                if (sha256.equals(storedDigest(key))) {
                    return new ArtifactRef(location(key), sha256, sizeOf(file));
                }
                throw DomainException.conflict("an object already exists at " + location(key)
                        + "; stored objects are never overwritten");
            }
            throw unavailable("store " + location(key), e);
        } catch (SdkClientException e) {
            throw unavailable("store " + location(key), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** S3 down, stalled or failing: nothing was stored, and trying again later may work. */
    private static DomainException unavailable(String what, Exception cause) {
        return new DomainException(DomainException.Code.UNAVAILABLE, "object storage could not " + what + ": "
                + cause.getMessage(), cause);
    }

    private String storedDigest(String key) {
        try {
            return s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build()).metadata().get("sha256");
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void fetchVerified(ArtifactRef artifact, Path target) {
        String key = key(artifact.location());
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try {
            Files.deleteIfExists(partial);
            try (var in = s3.getObject(b -> b.bucket(bucket).key(key))) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            String actual = Sha256.of(partial);
            if (!actual.equals(artifact.sha256())) {
                Files.deleteIfExists(partial);
                throw new DigestMismatchException(artifact.location(), artifact.sha256(), actual);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchKeyException e) {
            throw DomainException.notFound(artifact.location() + " does not exist");
        } catch (SdkClientException e) {
            throw unavailable("read " + artifact.location(), e);
        } catch (S3Exception e) {
            throw unavailable("read " + artifact.location(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not download " + artifact.location(), e);
        }
    }

    @Override
    public void delete(String location) {
        s3.deleteObject(b -> b.bucket(bucket).key(key(location)));
    }

    private String location(String key) {
        return "s3://" + bucket + "/" + key;
    }

    private String key(String location) {
        String prefix = "s3://" + bucket + "/";
        if (!location.startsWith(prefix)) {
            throw new IllegalArgumentException(location + " is not in bucket " + bucket);
        }
        return location.substring(prefix.length());
    }
}
