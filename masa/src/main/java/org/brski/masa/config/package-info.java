/**
 * MASA configuration: the YAML file ({@link org.brski.masa.config.MasaConfig}) and what it resolves to
 * ({@link org.brski.masa.config.MasaSettings}), every bad value reported with its key.
 */
package org.brski.masa.config;
