package io.sagashop.readmodel.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sagashop.contracts.EventCodec;

/** Documents and filters as JSONB, through EventCodec's mapper. */
final class StoredJson {

    private StoredJson() {
    }

    static String write(Object value) {
        try {
            return EventCodec.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static <T> T read(String json, Class<T> type) {
        try {
            return EventCodec.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read " + type.getSimpleName(), e);
        }
    }
}
