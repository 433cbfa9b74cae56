package io.annals.command.api.common;

/** The stable name and schema version of a message type on the wire, independent of Java package names. */
public record WireName(String name, int schemaVersion) {

    @Override
    public String toString() {
        return name + "/v" + schemaVersion;
    }
}
