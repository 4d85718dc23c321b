package org.brski.voucher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every received JSON document: no duplicate names, no trailing content, errors told without parser internals. */
class StrictJsonTest {
    private final ObjectMapper json = StrictJson.mapper();

    @Test
    void duplicateNamesAndTrailingContentAreRefused() {
        assertEquals("duplicate member name 'a' (line 1, column 11)", describe("{\"a\":1,\"a\":2}"));
        assertTrue(describe("{\"x\":{\"b\":true,\"b\":false}}").startsWith("duplicate member name 'b'"));
        assertTrue(describe("{\"a\":1} {\"b\":2}").startsWith("unexpected content after the JSON value"));
    }

    @Test
    void messagesNameNoParserClassOrOption() {
        for (String bad : List.of("{\"a\":1} 2", "{\"a\":[1,}", "{", "[\"\\u12\"]", "{\"a\" 1}", "nul", "\"abc",
                "{\"a\":1}}", "[".repeat(100), "{\"a\":01}", "{'a':1}", "{\"a\":NaN}")) {
            String detail = describe(bad);
            assertTrue(detail.length() > 5 && !detail.contains("`") && !detail.contains("jackson")
                    && !detail.contains("Feature") && !detail.contains("Source") && !detail.contains("JsonNode"),
                    bad + " -> " + detail);
        }
    }

    private String describe(String text) {
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> json.readTree(text));
        return StrictJson.describe(e);
    }
}
