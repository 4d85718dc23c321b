package org.brski.interop;

/** The peer a case talks to: the registrar (as a pledge, RFC 8995 5.1-5.9) or the MASA (as a registrar, 5.4-5.8). */
public enum Target {
    REGISTRAR,
    MASA
}
