package org.nudaq.monitor.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Reads a YAML configuration into {@link NudaqConfig}, validating everything once: on any problem it
 * throws a {@link ConfigException} that lists every error with the file, the key path and what is
 * wrong. Unknown keys are errors; renamed keys in their old spelling are read with a one-line warning.
 * Stateless and thread-safe when its warning sink is.
 */
public final class ConfigLoader {
  private final YAMLFactory yaml = new YAMLFactory();
  private final Consumer<String> warnings;

  /** A loader that logs warnings (deprecated keys) at WARN. */
  public ConfigLoader() {
    this(ConfigLoader::logWarning);
  }

  /** The logger is looked up only when there is a warning: setting up logging is start-up time a replay need not pay (issue 19). */
  private static void logWarning(String message) {
    LoggerFactory.getLogger(ConfigLoader.class).warn(message);
  }

  /** A loader that hands each warning (one line: file, key path, what to do) to {@code warnings}. */
  public ConfigLoader(Consumer<String> warnings) {
    this.warnings = warnings;
  }

  /** Loads and validates a file. */
  public NudaqConfig load(Path file) {
    String source = file.toString();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(new ConfigError(source, "", "no such file"), e);
    } catch (IOException e) {
      throw new ConfigException(new ConfigError(source, "", "cannot read: " + e.getMessage()), e);
    }
    return parse(source, text);
  }

  /** Parses YAML text; {@code source} names it in messages. */
  public NudaqConfig parse(String source, String text) {
    JsonNode tree;
    try {
      tree = readTree(text);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new ConfigException(new ConfigError(source, "", "not valid YAML at " + where + ": " + firstLines(e.getOriginalMessage())), e);
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      tree = JsonNodeFactory.instance.objectNode();
    }
    List<ConfigError> errors = new ArrayList<>();
    if (!tree.isObject()) {
      errors.add(new ConfigError(source, "", "the top level must be a mapping of sections (reactor, detectors, ...)"));
      throw new ConfigException(errors);
    }
    ConfigNode root = new ConfigNode(source, "", tree, errors, warnings);
    NudaqConfig config = NudaqConfig.bind(source, root);
    root.finish();
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return config;
  }

  /**
   * The first YAML document as a tree, the nodes {@code ObjectMapper.readTree} makes (a later duplicate
   * key wins; integers as int, long or big nodes by size; other numbers as doubles), built from the
   * streaming parser alone: an ObjectMapper's set-up (its class initialisation, the deserializer
   * lookup) is ~10% of the CPU time of a replay of 1e6 events (issue 19: start-up).
   */
  JsonNode readTree(String text) throws JsonProcessingException {
    try (JsonParser p = yaml.createParser(text)) {
      JsonToken t = p.nextToken();
      return t == null ? MissingNode.getInstance() : node(p, t);
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) { // no I/O reading a string
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static JsonNode node(JsonParser p, JsonToken t) throws IOException {
    JsonNodeFactory f = JsonNodeFactory.instance;
    switch (t) {
      case START_OBJECT -> {
        ObjectNode o = f.objectNode();
        for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
          String key = p.currentName();
          o.set(key, node(p, p.nextToken()));
        }
        return o;
      }
      case START_ARRAY -> {
        ArrayNode a = f.arrayNode();
        for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
          a.add(node(p, v));
        }
        return a;
      }
      case VALUE_STRING -> {
        return f.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return switch (p.getNumberType()) {
          case INT -> f.numberNode(p.getIntValue());
          case LONG -> f.numberNode(p.getLongValue());
          default -> f.numberNode(p.getBigIntegerValue());
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        return switch (p.getNumberTypeFP()) {
          case BIG_DECIMAL -> f.numberNode(p.getDecimalValue());
          case FLOAT32 -> f.numberNode(p.getFloatValue());
          default -> f.numberNode(p.getDoubleValue());
        };
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return f.booleanNode(t == JsonToken.VALUE_TRUE);
      }
      case VALUE_NULL -> {
        return f.nullNode();
      }
      case VALUE_EMBEDDED_OBJECT -> {
        Object v = p.getEmbeddedObject();
        return v instanceof byte[] b ? f.binaryNode(b) : f.pojoNode(v);
      }
      default -> throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected " + t);
    }
  }

  /**
   * The YAML parser's message without its source excerpt (indented lines, caret), folded to one
   * line: "while parsing a flow node; expected the node content, but found '<stream end>'".
   */
  private static String firstLines(String message) {
    if (message == null) {
      return "";
    }
    return String.join("; ", message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList());
  }
}
