package org.nudaq.monitor.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
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
      tree = yaml.readTree(text);
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
