/**
 * {@code brski demo}: a complete BRSKI domain in one process (RFC 8995 sections 2.5 and 5): a test PKI, a MASA and a
 * registrar on the loopback interface, and a number of pledges onboarded concurrently with the pledge library, with
 * a progress display, a per-pledge summary and the commands to try next.
 */
package org.brski.cli.demo;
