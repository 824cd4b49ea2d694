package io.sagashop.platform.messaging;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;

/** Reads the string headers SagaShop puts on its records ({@link io.sagashop.contracts.Headers}). */
public final class RecordHeaders {

    private RecordHeaders() {
    }

    /** The last value of the named header as UTF-8 text, or null when the record has none. */
    public static String value(Headers headers, String name) {
        Header header = headers == null ? null : headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
