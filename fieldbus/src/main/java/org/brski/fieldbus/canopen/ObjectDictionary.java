package org.brski.fieldbus.canopen;

/**
 * What an SDO server serves: a CANopen object dictionary addressed by 16-bit index and 8-bit sub-index (CiA 301 7.4).
 * The SDO layer moves whole values: a download (write) hands over the complete value once the last segment arrived, an
 * upload (read) asks for the complete value before segmenting it. Implementations decide access rights and refuse
 * with an {@link SdoAbort}; a refused write changes nothing.
 */
public interface ObjectDictionary {
    /** SDO upload: the complete value of {@code index:subIndex}. */
    byte[] read(int index, int subIndex) throws SdoAbort;

    /** SDO download: the complete value for {@code index:subIndex}. */
    void write(int index, int subIndex, byte[] value) throws SdoAbort;
}
