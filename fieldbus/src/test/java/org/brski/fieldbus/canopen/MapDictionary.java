package org.brski.fieldbus.canopen;

import java.util.HashMap;
import java.util.Map;

/** A map-backed object dictionary for tests: entries are read-write unless marked read-only; counts writes. */
final class MapDictionary implements ObjectDictionary {
    private final Map<Integer, byte[]> entries = new HashMap<>();
    private final Map<Integer, Integer> readOnly = new HashMap<>();
    private int writes;

    private static int key(int index, int subIndex) {
        return index << 8 | subIndex;
    }

    MapDictionary put(int index, int subIndex, byte[] value) {
        entries.put(key(index, subIndex), value.clone());
        return this;
    }

    MapDictionary readOnly(int index, int subIndex) {
        readOnly.put(key(index, subIndex), SdoAbort.READ_ONLY);
        return this;
    }

    byte[] get(int index, int subIndex) {
        byte[] value = entries.get(key(index, subIndex));
        return value == null ? null : value.clone();
    }

    int writes() {
        return writes;
    }

    @Override
    public byte[] read(int index, int subIndex) throws SdoAbort {
        byte[] value = entries.get(key(index, subIndex));
        if (value == null) {
            throw new SdoAbort(SdoAbort.NO_OBJECT, "no-object", String.format("no %X:%X", index, subIndex));
        }
        return value.clone();
    }

    @Override
    public void write(int index, int subIndex, byte[] value) throws SdoAbort {
        Integer refusal = readOnly.get(key(index, subIndex));
        if (refusal != null) {
            throw new SdoAbort(refusal, "read-only", String.format("%X:%X is read-only", index, subIndex));
        }
        writes++;
        entries.put(key(index, subIndex), value.clone());
    }
}
