/** {@code brski interop}: the picocli command that runs the catalogue and writes the reports. */
package org.brski.interop.cli;
