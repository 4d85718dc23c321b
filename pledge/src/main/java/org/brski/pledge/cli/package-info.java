/**
 * The {@code brski pledge} command (picocli): {@code onboard} and {@code reenroll}. Its dependencies (picocli,
 * test-pki for {@code --pki}) are optional in the pledge artifact, so devices embedding the library do not carry them.
 */
package org.brski.pledge.cli;
