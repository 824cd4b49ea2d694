package io.sagashop.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

/** Keeps contracts/asyncapi.yaml true to the records: a field added to an event must be documented. */
class AsyncApiDocumentTest {

    private static final JsonNode DOC = read();

    private static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(Path.of("asyncapi.yaml").toFile());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyEventIsDocumentedWithExactlyItsFields(EventType type) {
        assertTrue(DOC.path("asyncapi").asText().startsWith("3."), "AsyncAPI 3 document");
        JsonNode message = DOC.path("components").path("messages").path(type.wireName());
        assertFalse(message.isMissingNode(), "message " + type.wireName());

        JsonNode schema = DOC.path("components").path("schemas").path(type.wireName());
        Set<String> documented = new TreeSet<>();
        schema.path("properties").fieldNames().forEachRemaining(documented::add);
        Set<String> actual = new TreeSet<>();
        Arrays.stream(type.recordClass().getRecordComponents()).forEach(c -> actual.add(c.getName()));
        assertEquals(actual, documented, "payload fields of " + type.wireName());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyEventIsListedOnItsTopicsChannel(EventType type) {
        JsonNode channel = DOC.path("channels").path(type.topic());
        assertEquals(type.topic(), channel.path("address").asText());
        assertFalse(channel.path("messages").path(type.wireName()).isMissingNode(),
                type.wireName() + " on " + type.topic());
    }
}
