/**
 * The case catalogue ({@link org.brski.interop.cases.Catalogue}): the positive flow, media type and encoding variants
 * RFC 8995/7030/8951 allow, and negative cases, against the registrar and (optionally) the MASA. Each case builds its
 * artifacts, sends them through an {@link org.brski.interop.InteropContext} and judges the answer.
 */
package org.brski.interop.cases;
