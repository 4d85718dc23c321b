/**
 * {@code brski masa} commands (picocli): {@code serve}, {@code devices import|add|list}, {@code owners set}.
 * Configuration errors exit with status 2 and a message naming the key; runtime failures with status 1.
 */
package org.brski.masa.cli;
