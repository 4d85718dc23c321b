/**
 * Strict YAML configuration loading (Jackson): unknown keys and wrong types are errors naming the dotted key; and
 * {@link org.brski.server.config.Compat}, the peer-dialect switch ({@code compat: none | nqminds}) shared by the MASA
 * and the registrar.
 */
package org.brski.server.config;
