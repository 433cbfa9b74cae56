/**
 * The command port between Annals processes: a process without the {@code command} role forwards every command
 * (its API's mutations, its workers' reports, its policies' decisions) to {@code POST /internal/commands} of a
 * process that has it, authenticated with the platform's internal token. See {@link io.annals.app.cluster.CommandWire}.
 */
package io.annals.app.cluster;
