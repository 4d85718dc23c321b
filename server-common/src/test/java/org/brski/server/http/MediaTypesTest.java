package org.brski.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.brski.server.ServerException;
import org.junit.jupiter.api.Test;

class MediaTypesTest {
    private static final List<String> CMS = List.of("application/voucher-cms+json");

    @Test
    void contentTypeComparesWithoutParametersAndCase() throws ServerException {
        assertEquals("application/voucher-cms+json",
                MediaTypes.requireContentType("Application/Voucher-CMS+JSON; charset=binary", CMS));
        assertEquals(415, assertThrows(ServerException.class,
                () -> MediaTypes.requireContentType("application/json", CMS)).problem().status());
        assertEquals(415, assertThrows(ServerException.class,
                () -> MediaTypes.requireContentType((String) null, CMS)).problem().status());
        assertEquals(415, assertThrows(ServerException.class,
                () -> MediaTypes.requireContentType("garbage", CMS)).problem().status());
    }

    @Test
    void acceptHonoursWildcardsAndQValues() throws ServerException {
        assertEquals(CMS.get(0), MediaTypes.negotiate((String) null, CMS));
        assertEquals(CMS.get(0), MediaTypes.negotiate("*/*", CMS));
        assertEquals(CMS.get(0), MediaTypes.negotiate("application/*;q=0.2, text/html", CMS));
        assertEquals(CMS.get(0), MediaTypes.negotiate("text/html, application/voucher-cms+json;q=0.5", CMS));
        assertEquals("b/b", MediaTypes.negotiate("a/a;q=0.4, b/b;q=0.9", List.of("a/a", "b/b")));
        assertEquals("a/a", MediaTypes.negotiate("a/a, b/b", List.of("a/a", "b/b")));
    }

    @Test
    void qZeroAndSpecificRangesExclude() {
        assertEquals(406, assertThrows(ServerException.class,
                () -> MediaTypes.negotiate("application/voucher-cms+json;q=0", CMS)).problem().status());
        assertEquals(406, assertThrows(ServerException.class,
                () -> MediaTypes.negotiate("*/*, application/voucher-cms+json;q=0", CMS)).problem().status());
        assertEquals(406, assertThrows(ServerException.class,
                () -> MediaTypes.negotiate("text/plain, application/json", CMS)).problem().status());
        assertEquals(406, assertThrows(ServerException.class,
                () -> MediaTypes.negotiate("nonsense, ;;;", CMS)).problem().status());
    }
}
