package io.annals.workers.serving;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The Jackson both prediction routes read requests and write answers with. A batch is mostly numbers, and Jackson 2
 * parses and prints floating-point numbers with the JDK's own routines unless asked otherwise: in a profile of 1,000-row
 * V2 batches, parsing the doubles was the largest single allocation of the serving threads. The fast parser and
 * writer (FastDoubleParser, Schubfach) give the same values.
 */
final class ServingJson {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    private ServingJson() {
    }
}
