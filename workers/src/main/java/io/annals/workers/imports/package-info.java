/**
 * Models trained elsewhere (ONNX files): checked against their declared signature by ONNX Runtime, stored write-once
 * with their SHA-256, and registered as versions beside trained ones. May touch DJL, S3 (through the artifact store)
 * and the command port.
 */
package io.annals.workers.imports;
