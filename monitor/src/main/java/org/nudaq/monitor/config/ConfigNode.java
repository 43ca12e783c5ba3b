package org.nudaq.monitor.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A cursor over one YAML mapping that binds keys into values while remembering the key path, so
 * every error can name exactly where it is. Keys that were never asked for are reported as unknown
 * by {@link #finish()}: a misspelt key must never silently fall back to a default.
 *
 * <p>Not thread-safe; used once, while a file is loaded.
 */
public final class ConfigNode {
  private final String source;
  private final String path;
  private final JsonNode node;
  private final List<ConfigError> errors;
  private final Consumer<String> warnings;
  private final Set<String> consumed = new LinkedHashSet<>();
  private final List<ConfigNode> children = new ArrayList<>();

  ConfigNode(String source, String path, JsonNode node, List<ConfigError> errors, Consumer<String> warnings) {
    this.source = source;
    this.path = path;
    this.node = node;
    this.errors = errors;
    this.warnings = warnings;
  }

  /** The key path of this node, e.g. {@code detectors[1].resolution}. */
  public String path() {
    return path;
  }

  /** Whether the key is present (and not null). */
  public boolean has(String key) {
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  private String child(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private JsonNode take(String key) {
    consumed.add(key);
    JsonNode v = node.get(key);
    return v == null ? MissingNode.getInstance() : v;
  }

  /**
   * The key to read for a setting that was renamed: {@code newKey}, or {@code oldKey} when only the old
   * spelling is given (with a one-line deprecation warning naming the new key). Both given is an error.
   */
  public String renamed(String oldKey, String newKey) {
    if (!has(oldKey)) {
      return newKey;
    }
    consumed.add(newKey);
    consumed.add(oldKey);
    if (has(newKey)) {
      error(oldKey, "replaced by " + child(newKey) + ", which is given too: remove " + child(oldKey));
      return newKey;
    }
    warnings.accept(source + ": " + child(oldKey) + " is deprecated, use " + child(newKey) + " (same meaning)");
    return oldKey;
  }

  /** Records an error at a key of this node. */
  public void error(String key, String message) {
    errors.add(new ConfigError(source, key == null ? path : child(key), message));
  }

  /** A number, or the default when the key is absent. */
  public double number(String key, double defaultValue) {
    JsonNode v = take(key);
    if (v.isMissingNode() || v.isNull()) {
      return defaultValue;
    }
    return asNumber(key, v, defaultValue);
  }

  /** A number that must be present. Returns NaN after recording an error when it is missing. */
  public double requiredNumber(String key) {
    JsonNode v = take(key);
    if (v.isMissingNode() || v.isNull()) {
      error(key, "is required (a number)");
      return Double.NaN;
    }
    return asNumber(key, v, Double.NaN);
  }

  /** A number that may be absent: NaN means absent. */
  public double optionalNumber(String key) {
    return number(key, Double.NaN);
  }

  private double asNumber(String key, JsonNode v, double fallback) {
    if (v.isNumber()) {
      double d = v.doubleValue();
      if (!Double.isFinite(d)) {
        error(key, "must be a finite number, got " + v.asText());
        return fallback;
      }
      return d;
    }
    if (v.isTextual()) {
      // YAML 1.1 parsers read "2.7e13" as text (no dot before the exponent); accept it when it parses.
      try {
        double d = Double.parseDouble(v.textValue().trim());
        if (Double.isFinite(d)) {
          return d;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
    }
    error(key, "must be a number, got " + describe(v));
    return fallback;
  }

  /** An integer, or the default when absent. */
  public int integer(String key, int defaultValue) {
    JsonNode v = take(key);
    if (v.isMissingNode() || v.isNull()) {
      return defaultValue;
    }
    if (v.isIntegralNumber() && v.canConvertToInt()) {
      return v.intValue();
    }
    error(key, "must be an integer, got " + describe(v));
    return defaultValue;
  }

  /** A string, or the default when absent. */
  public String text(String key, String defaultValue) {
    JsonNode v = take(key);
    if (v.isMissingNode() || v.isNull()) {
      return defaultValue;
    }
    if (v.isTextual() || v.isNumber() || v.isBoolean()) {
      return v.asText();
    }
    error(key, "must be a string, got " + describe(v));
    return defaultValue;
  }

  /** A boolean, or the default when absent. */
  public boolean bool(String key, boolean defaultValue) {
    JsonNode v = take(key);
    if (v.isMissingNode() || v.isNull()) {
      return defaultValue;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    error(key, "must be true or false, got " + describe(v));
    return defaultValue;
  }

  /**
   * One of an enum's values, written in lower case with dashes in YAML ({@code huber-mueller} for
   * {@code HUBER_MUELLER}).
   */
  public <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
    String s = text(key, null);
    if (s == null) {
      return defaultValue;
    }
    for (E e : type.getEnumConstants()) {
      if (yamlName(e).equals(s.trim().toLowerCase(Locale.ROOT))) {
        return e;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      allowed.add(yamlName(e));
    }
    error(key, "must be one of " + allowed + ", got '" + s + "'");
    return defaultValue;
  }

  /** The YAML spelling of an enum constant. */
  public static String yamlName(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** A nested mapping; absent means an empty mapping (so its keys take their defaults). */
  public ConfigNode object(String key) {
    JsonNode v = take(key);
    if (v.isMissingNode() || v.isNull()) {
      return new ConfigNode(source, child(key), JsonNodeFactory.instance.objectNode(), errors, warnings);
    }
    if (!v.isObject()) {
      error(key, "must be a mapping (key: value lines), got " + describe(v));
      return new ConfigNode(source, child(key), JsonNodeFactory.instance.objectNode(), errors, warnings);
    }
    ConfigNode n = new ConfigNode(source, child(key), v, errors, warnings);
    children.add(n);
    return n;
  }

  /** A list of mappings, each bound by {@code binder}. Absent means an empty list. */
  public <T> List<T> list(String key, Function<ConfigNode, T> binder) {
    JsonNode v = take(key);
    List<T> out = new ArrayList<>();
    if (v.isMissingNode() || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      error(key, "must be a list, got " + describe(v));
      return out;
    }
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      String itemPath = child(key) + "[" + i + "]";
      if (!item.isObject()) {
        errors.add(new ConfigError(source, itemPath, "must be a mapping, got " + describe(item)));
        continue;
      }
      ConfigNode n = new ConfigNode(source, itemPath, item, errors, warnings);
      out.add(binder.apply(n));
      n.finish();
    }
    return out;
  }

  /** A list of numbers; absent means the default. */
  public double[] numbers(String key, double[] defaultValue) {
    JsonNode v = take(key);
    if (v.isMissingNode() || v.isNull()) {
      return defaultValue == null ? null : defaultValue.clone();
    }
    if (!v.isArray()) {
      error(key, "must be a list of numbers, got " + describe(v));
      return defaultValue;
    }
    double[] out = new double[v.size()];
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      if (!item.isNumber()) {
        errors.add(new ConfigError(source, child(key) + "[" + i + "]", "must be a number, got " + describe(item)));
        continue;
      }
      out[i] = item.doubleValue();
    }
    return out;
  }

  /** A mapping of names to numbers whose keys must come from {@code allowedKeys}. */
  public Map<String, Double> numberMap(String key, Set<String> allowedKeys, Map<String, Double> defaultValue) {
    JsonNode v = take(key);
    if (v.isMissingNode() || v.isNull()) {
      return defaultValue;
    }
    if (!v.isObject()) {
      error(key, "must be a mapping, got " + describe(v));
      return defaultValue;
    }
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    ConfigNode n = new ConfigNode(source, child(key), v, errors, warnings);
    for (String k : allowedKeys) {
      if (n.has(k)) {
        out.put(k, n.number(k, Double.NaN));
      } else {
        n.take(k);
      }
    }
    n.finish();
    return out;
  }

  // --- validation helpers; each records an error naming the key and the value -------------------

  public void requirePositive(String key, double value) {
    if (!Double.isNaN(value) && !(value > 0)) {
      error(key, "must be > 0, got " + format(value));
    }
  }

  public void requireNonNegative(String key, double value) {
    if (!Double.isNaN(value) && value < 0) {
      error(key, "must be >= 0, got " + format(value));
    }
  }

  public void requireRange(String key, double value, double lowInclusive, double highInclusive) {
    if (!Double.isNaN(value) && (value < lowInclusive || value > highInclusive)) {
      error(key, "must be between " + format(lowInclusive) + " and " + format(highInclusive) + ", got " + format(value));
    }
  }

  public static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  /** Reports every key of this mapping, and of the mappings taken from it, that no binder asked for. */
  public void finish() {
    for (ConfigNode c : children) {
      c.finish();
    }
    Set<String> unknown = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!consumed.contains(k)) {
        unknown.add(k);
      }
    }
    for (String k : unknown) {
      error(k, "unknown key (known keys here: " + String.join(", ", new TreeSet<>(consumed)) + ")");
    }
  }

  private static String describe(JsonNode v) {
    if (v.isObject()) {
      return "a mapping";
    }
    if (v.isArray()) {
      return "a list";
    }
    if (v.isTextual()) {
      return "'" + v.textValue() + "'";
    }
    return v.asText();
  }
}
