package io.annals.infra.clients;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * A secret kept in a file that several processes of one platform may try to create at once (the sealing key, the
 * generated admin token): the first one's content wins and every process reads that one. The file is readable by
 * its owner only from the moment it exists, and never seen half-written: the content goes into a temporary file,
 * which is then linked to the name (a hard link fails, atomically, when the name is taken).
 */
public final class SecretFiles {

    private SecretFiles() {
    }

    /** The file's content (trimmed); when there is no file yet, {@code fresh}'s, which is then kept in it. */
    public static String readOrCreate(Path file, Supplier<String> fresh) {
        Path target = file.toAbsolutePath();
        try {
            if (Files.exists(target)) {
                return Files.readString(target).trim();
            }
            Files.createDirectories(target.getParent());
            Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".new",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                String value = fresh.get();
                Files.writeString(temporary, value);
                try {
                    Files.createLink(target, temporary);
                    return value;
                } catch (FileAlreadyExistsException raced) {
                    return Files.readString(target).trim();
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + target, e);
        }
    }
}
