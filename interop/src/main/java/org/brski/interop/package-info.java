/**
 * The BRSKI interop suite: a catalogue of named, transport-free case definitions ({@link org.brski.interop.InteropCase}),
 * each citing the RFC 8995 / RFC 7030 / RFC 8951 section it checks, a {@link org.brski.interop.InteropRunner} that runs
 * them against any registrar (and MASA) with a bounded time per case, and the results that reporters write.
 */
package org.brski.interop;
