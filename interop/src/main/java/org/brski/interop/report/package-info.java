/**
 * Reporters for an {@link org.brski.interop.InteropReport}: JUnit XML ({@code interop-results.xml}), a Markdown table
 * ({@code interop-report.md}) and the one-line-per-case console summary.
 */
package org.brski.interop.report;
