/**
 * Registrar configuration: the immutable {@link org.brski.registrar.config.RegistrarConfig} used by
 * {@link org.brski.registrar.RegistrarServer}, and its YAML form ({@code registrar.yaml}, unknown keys rejected), with
 * a shortcut that builds a configuration from a {@code brski pki init} directory.
 */
package org.brski.registrar.config;
