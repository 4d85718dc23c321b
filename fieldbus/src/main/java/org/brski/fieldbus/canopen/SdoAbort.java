package org.brski.fieldbus.canopen;

import org.brski.fieldbus.FieldbusException;

/**
 * A refused object dictionary access, as a CANopen SDO abort code (CiA 301 7.2.4.3.17) plus the model's reason token.
 * The SDO server sends {@link #abortCode()} in an abort frame; the SDO client raises the same exception on receipt
 * (the reason token does not cross the bus, so the client's copy carries {@code sdo-abort-XXXXXXXX}).
 */
public final class SdoAbort extends FieldbusException {
    private static final long serialVersionUID = 1L;

    /** 0x0504 0001: client/server command specifier not valid or unknown. */
    public static final int UNKNOWN_COMMAND = 0x05040001;
    /** 0x0503 0000: toggle bit not alternated. */
    public static final int TOGGLE_NOT_ALTERNATED = 0x05030000;
    /** 0x0504 0005: out of memory (here: a value above the SDO layer's size bound). */
    public static final int OUT_OF_MEMORY = 0x05040005;
    /** 0x0601 0000: unsupported access to an object. */
    public static final int UNSUPPORTED_ACCESS = 0x06010000;
    /** 0x0601 0001: attempt to read a write-only object. */
    public static final int WRITE_ONLY = 0x06010001;
    /** 0x0601 0002: attempt to write a read-only object. */
    public static final int READ_ONLY = 0x06010002;
    /** 0x0602 0000: object does not exist in the object dictionary. */
    public static final int NO_OBJECT = 0x06020000;
    /** 0x0606 0000: access failed due to a hardware error. */
    public static final int HARDWARE_ERROR = 0x06060000;
    /** 0x0607 0010: data type does not match, length of service parameter does not match. */
    public static final int LENGTH_MISMATCH = 0x06070010;
    /** 0x0609 0011: sub-index does not exist. */
    public static final int NO_SUBINDEX = 0x06090011;
    /** 0x0609 0030: invalid value for parameter (download only). */
    public static final int INVALID_VALUE = 0x06090030;
    /** 0x0800 0000: general error. */
    public static final int GENERAL_ERROR = 0x08000000;
    /** 0x0800 0020: data cannot be transferred or stored to the application. */
    public static final int CANNOT_STORE = 0x08000020;
    /** 0x0800 0021: ... because of local control. */
    public static final int LOCAL_CONTROL = 0x08000021;
    /** 0x0800 0022: ... because of the present device state. */
    public static final int DEVICE_STATE = 0x08000022;

    private final int abortCode;

    public SdoAbort(int abortCode, String reason, String message) {
        super(reason, message);
        this.abortCode = abortCode;
    }

    /** As received from the bus: only the code is known. */
    public static SdoAbort received(int abortCode) {
        return new SdoAbort(abortCode, String.format("sdo-abort-%08x", abortCode),
                String.format("the node aborted the transfer with SDO abort code 0x%08X", abortCode));
    }

    /** The 32-bit CiA 301 abort code. */
    public int abortCode() {
        return abortCode;
    }
}
