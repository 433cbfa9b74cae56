/**
 * The record as the API and the workers read it — a principal's access stream, a run's request, a dataset's schema
 * and batches, the principals on record and when each API token was last used — from the event store itself, never
 * a projection. {@code CommandRecords} is the port: {@code LocalRecords} reads in place in a process with the command
 * role, {@code RemoteRecords} asks such a process through {@code POST /internal/records} ({@code RecordEndpoint},
 * the internal token, bounded requests; see {@code RecordWire}) so that no other process needs the database.
 */
package io.annals.app.records;
