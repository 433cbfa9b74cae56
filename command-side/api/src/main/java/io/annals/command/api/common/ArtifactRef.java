package io.annals.command.api.common;

/** Bytes stored write-once; a reader verifies {@code sha256} before use. */
public record ArtifactRef(String location, String sha256, long sizeBytes) {

    public ArtifactRef {
        Ids.requireText("artifact location", location);
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("artifact sha256 must be 64 lower-case hex digits");
        }
    }
}
