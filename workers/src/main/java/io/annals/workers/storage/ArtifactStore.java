package io.annals.workers.storage;

import io.annals.command.api.common.ArtifactRef;
import java.nio.file.Path;

/** Write-once object storage for batches and model artifacts; every read is checked against its SHA-256. */
public interface ArtifactStore {

    /**
     * Stores the file under {@code key} only if nothing is stored there yet; refuses to overwrite.
     *
     * @return where it is, with the digest the caller computed while writing the file
     */
    ArtifactRef putOnce(String key, Path file, String sha256);

    /**
     * Downloads the object to {@code target} and checks its SHA-256.
     *
     * @throws DigestMismatchException if the bytes are not the ones recorded
     */
    void fetchVerified(ArtifactRef artifact, Path target);

    /** Removes an object, used only to undo a write whose event was refused. */
    void delete(String location);
}
