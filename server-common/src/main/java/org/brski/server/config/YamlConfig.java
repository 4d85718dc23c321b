package org.brski.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.brski.server.ConfigException;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Strict YAML configuration loading into a module's own config record: unknown keys are errors naming the key's full
 * dotted path, wrong types name the key, files are bounded ({@value #MAX_BYTES} bytes) and YAML aliases are limited.
 * Semantic checks belong to each config record (e.g. a {@code validate()} method throwing {@link ConfigException}).
 */
public final class YamlConfig {
    /** Largest configuration file accepted. */
    public static final int MAX_BYTES = 1024 * 1024;

    private YamlConfig() {
    }

    /** Reads {@code file} as {@code type}. */
    public static <T> T load(Path file, Class<T> type) throws ConfigException {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigException(null, file + ": larger than " + MAX_BYTES + " bytes");
            }
            return parse(Files.readString(file, StandardCharsets.UTF_8), type, file.toString());
        } catch (IOException e) {
            throw new ConfigException(null, file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Parses YAML text as {@code type}; {@code source} names the input in messages. */
    public static <T> T parse(String yaml, Class<T> type, String source) throws ConfigException {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_BYTES);
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(20);
        ObjectMapper mapper = new ObjectMapper(YAMLFactory.builder().loaderOptions(options).build())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        try {
            T value = mapper.readValue(yaml, type);
            if (value == null) {
                throw new ConfigException(null, source + ": empty configuration");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            String key = path(e);
            throw new ConfigException(key, "unknown key '" + key + "' in " + source
                    + (e.getKnownPropertyIds() == null ? "" : " (known keys here: " + e.getKnownPropertyIds().stream()
                            .map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")"), e);
        } catch (JsonMappingException e) {
            String key = path(e);
            throw new ConfigException(key.isEmpty() ? null : key, "invalid value"
                    + (key.isEmpty() ? "" : " for key '" + key + "'") + " in " + source + ": " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(null, source + " is not valid YAML: " + e.getOriginalMessage(), e);
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder key = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (key.length() > 0) {
                    key.append('.');
                }
                key.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                key.append('[').append(reference.getIndex()).append(']');
            }
        }
        return key.toString();
    }
}
