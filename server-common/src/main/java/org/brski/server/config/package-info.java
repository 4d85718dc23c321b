/** Strict YAML configuration loading (Jackson): unknown keys and wrong types are errors naming the dotted key. */
package org.brski.server.config;
