package org.nudaq.monitor.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The YAML our configuration files are written in, read without SnakeYAML (issue 19: a replay's fixed
 * cost). Jackson's YAML parser loads ~200 classes and runs SnakeYAML's scanner in the interpreter:
 * ~0.02 s of CPU (more of wall) of a 1e6-event replay's ~0.35 s for an 8 kB file (docs/benchmarks.md).
 * This reader takes the subset the shipped profiles use, block mappings and sequences, one-line flow
 * collections, plain and simply quoted scalars, comments (and declines the words y, n and the like where
 * YAML 1.1 is unclear, keys or values), and makes exactly the tree {@link ConfigLoader}'s Jackson path makes (node types included:
 * YAML 1.1's {@code on}/{@code yes} are booleans there, an int is not a long). Anything else, any doubt,
 * and every malformed document, it declines ({@link #read} returns null) and the loader parses the text
 * with Jackson as before, so that every error message stays Jackson's: anchors, tags, block scalars,
 * multi-line plain or flow values, escapes, tabs, document markers, numbers in another notation than
 * {@code -12}, {@code 3.5}, {@code 2.7e13}, strings starting with a digit or an indicator (but dotted
 * addresses such as {@code 127.0.0.1}), keys other than identifiers, a top level that is not a mapping.
 * Stateless (one instance per read); thread-safe.
 */
final class BlockYaml {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** A document (or part of one) this reader does not take: the loader uses Jackson. */
  private static final class Declined extends RuntimeException {
    Declined() {
      super(null, null, false, false);
    }
  }

  private static final Declined DECLINED = new Declined();

  /** One line with content: its indentation (spaces) and its text without the indentation and comment. */
  private static final class Line {
    int indent;
    String text;

    Line(int indent, String text) {
      this.indent = indent;
      this.text = text;
    }
  }

  private final List<Line> lines;
  private int next;

  private BlockYaml(List<Line> lines) {
    this.lines = lines;
  }

  /**
   * The tree of {@code text} as {@link ConfigLoader}'s Jackson path makes it ({@link MissingNode} for a
   * document without content), or null where this reader declines: then parse it with Jackson.
   */
  static JsonNode read(String text) {
    try {
      List<Line> lines = lines(text);
      if (lines.isEmpty()) {
        return MissingNode.getInstance();
      }
      BlockYaml reader = new BlockYaml(lines);
      Line first = lines.get(0);
      if (isItem(first.text)) {
        return null; // a top-level sequence: the loader's error, from Jackson's tree
      }
      JsonNode root = reader.mapping(first.indent);
      return reader.next == lines.size() ? root : null;
    } catch (Declined e) {
      return null;
    }
  }

  /** The lines with content, comments removed; declines tabs, carriage returns alone, markers, directives. */
  private static List<Line> lines(String text) {
    List<Line> out = new ArrayList<>();
    int n = text.length();
    int start = 0;
    while (start < n) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = n;
      }
      int stop = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
      int indent = start;
      while (indent < stop && text.charAt(indent) == ' ') {
        indent++;
      }
      String body = withoutComment(text, indent, stop);
      if (!body.isEmpty()) {
        if (indent == start && (body.startsWith("---") || body.startsWith("...") || body.charAt(0) == '%')) {
          throw DECLINED;
        }
        out.add(new Line(indent - start, body));
      }
      start = end + 1;
    }
    return out;
  }

  /** text[from, to) without a comment ('#' at the start or after a space, outside quotes) and trailing spaces. */
  private static String withoutComment(String text, int from, int to) {
    char quote = 0;
    int end = to;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c == '\t' || c == '\r' || c == '\\' || c == '\uFEFF') {
        throw DECLINED;
      }
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '#' && (i == from || text.charAt(i - 1) == ' ')) {
        end = i;
        break;
      } else if ((c == '\'' || c == '"') && (i == from || " [{,:".indexOf(text.charAt(i - 1)) >= 0)) {
        quote = c;
      }
    }
    while (end > from && text.charAt(end - 1) == ' ') {
      end--;
    }
    return text.substring(from, end);
  }

  private static boolean isItem(String text) {
    return text.equals("-") || text.startsWith("- ");
  }

  /** The mapping whose keys are at {@code indent}, from the current line on. */
  private ObjectNode mapping(int indent) {
    ObjectNode o = NODES.objectNode();
    while (next < lines.size()) {
      Line line = lines.get(next);
      if (line.indent < indent) {
        break;
      }
      if (line.indent > indent || isItem(line.text)) {
        throw DECLINED; // a continuation, or an error: Jackson's business
      }
      int colon = keyEnd(line.text);
      if (colon < 0) {
        throw DECLINED;
      }
      String key = line.text.substring(0, colon);
      String rest = line.text.substring(colon + 1).stripLeading();
      next++;
      o.set(key, rest.isEmpty() ? nested(indent) : inline(rest));
    }
    return o;
  }

  /** The value of a key with nothing after its colon: a deeper block, a sequence at the key's indentation, or null. */
  private JsonNode nested(int indent) {
    if (next < lines.size()) {
      Line line = lines.get(next);
      if (line.indent > indent) {
        return isItem(line.text) ? sequence(line.indent) : mapping(line.indent);
      }
      if (line.indent == indent && isItem(line.text)) {
        return sequence(indent);
      }
    }
    return NODES.nullNode();
  }

  /** The block sequence whose dashes are at {@code indent}, from the current line on. */
  private ArrayNode sequence(int indent) {
    ArrayNode a = NODES.arrayNode();
    while (next < lines.size()) {
      Line line = lines.get(next);
      if (line.indent != indent || !isItem(line.text)) {
        if (line.indent > indent) {
          throw DECLINED;
        }
        break;
      }
      if (line.text.length() == 1) {
        throw DECLINED; // "-" alone: its value on the next lines
      }
      int spaces = 1;
      while (line.text.charAt(spaces) == ' ') {
        spaces++;
      }
      String rest = line.text.substring(spaces);
      if (isItem(rest)) {
        throw DECLINED;
      }
      if (keyEnd(rest) >= 0) { // "- key: ...": a mapping whose keys are at the first key's column
        line.indent = indent + spaces;
        line.text = rest;
        a.add(mapping(line.indent));
      } else {
        next++;
        a.add(inline(rest));
      }
    }
    return a;
  }

  /** A value on the key's (or dash's) line; the next line must not be deeper (a multi-line scalar). */
  private JsonNode inline(String text) {
    JsonNode v;
    char c = text.charAt(0);
    if (c == '{' || c == '[') {
      Flow f = new Flow(text);
      v = f.value();
      f.skipSpaces();
      if (f.at < text.length()) {
        throw DECLINED;
      }
    } else {
      v = scalar(text);
    }
    return v;
  }

  /** The end of a key at the start of {@code text} (the index of its colon, followed by a space or the end), or -1. */
  private static int keyEnd(String text) {
    int i = 0;
    int n = text.length();
    if (n == 0 || !(Character.isLetter(text.charAt(0)) && text.charAt(0) < 128 || text.charAt(0) == '_')) {
      return -1;
    }
    while (i < n && isKeyChar(text.charAt(i))) {
      i++;
    }
    if (i == n || text.charAt(i) != ':' || i + 1 < n && text.charAt(i + 1) != ' ') {
      return -1;
    }
    String key = text.substring(0, i);
    if (special(key) != null || isSpecialWord(key)) {
      throw DECLINED; // a key "on", "null", ...: as YAML 1.1 resolves it, Jackson's business
    }
    return i;
  }

  private static boolean isKeyChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
  }

  /** A quoted or plain scalar making up all of {@code text}. */
  private static JsonNode scalar(String text) {
    char c = text.charAt(0);
    if (c == '"' || c == '\'') {
      if (text.length() < 2 || text.charAt(text.length() - 1) != c || text.indexOf(c, 1) != text.length() - 1) {
        throw DECLINED;
      }
      return NODES.textNode(text.substring(1, text.length() - 1));
    }
    return plain(text);
  }

  /** A plain scalar as YAML 1.1 (SnakeYAML, Jackson) types it, or declined where in doubt. */
  private static JsonNode plain(String text) {
    JsonNode s = special(text);
    if (s != null) {
      return s;
    }
    if (isSpecialWord(text)) {
      throw DECLINED; // "tRue", "oN", ...
    }
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      boolean ok = ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || " _-./()+%,".indexOf(ch) >= 0;
      if (!ok) {
        throw DECLINED; // ':', '#', quotes, brackets, indicators, non-ASCII: Jackson's business
      }
    }
    char c = text.charAt(0);
    if (c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.') {
      return number(text);
    }
    if (!Character.isLetter(c) && c != '_' && c != '/' && c != '(') {
      throw DECLINED;
    }
    return NODES.textNode(text);
  }

  /** null, booleans (YAML 1.1: yes/no/on/off too) spelled as SnakeYAML's resolver spells them; else null. */
  private static JsonNode special(String text) {
    return switch (text) {
      case "null", "Null", "NULL", "~" -> NODES.nullNode();
      case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON" -> NODES.booleanNode(true);
      case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF" -> NODES.booleanNode(false);
      default -> null;
    };
  }

  /** A word that is one of the special ones in another case ("tRue"): declined rather than guessed. */
  private static boolean isSpecialWord(String text) {
    return switch (text.toLowerCase(java.util.Locale.ROOT)) {
      case "null", "true", "false", "yes", "no", "on", "off", "y", "n", "nan", "inf", "infinity" -> true;
      default -> false;
    };
  }

  /**
   * -12 (int, or long beyond int), 3.5 / 2.7e13 / 1e-3 (double); a dotted address (127.0.0.1) is text;
   * anything else starting with a digit or a sign (0x1F, 007, 1_000, +3, .5, 1., dates) is declined.
   */
  private static JsonNode number(String text) {
    int n = text.length();
    int i = text.charAt(0) == '-' ? 1 : 0;
    int digits = i;
    while (i < n && Character.isDigit(text.charAt(i)) && text.charAt(i) < 128) {
      i++;
    }
    int intDigits = i - digits;
    if (intDigits == 0 || intDigits > 1 && text.charAt(digits) == '0') {
      throw DECLINED;
    }
    if (i == n) {
      if (intDigits > 18) {
        throw DECLINED;
      }
      long v = Long.parseLong(text);
      return v == (int) v ? NODES.numberNode((int) v) : NODES.numberNode(v);
    }
    if (digits == 0 && dottedAddress(text)) {
      return NODES.textNode(text);
    }
    boolean fraction = false;
    if (text.charAt(i) == '.') {
      int f = ++i;
      while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
        i++;
      }
      if (i == f) {
        throw DECLINED;
      }
      fraction = true;
    }
    if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
      i++;
      if (i < n && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
        i++;
      }
      int e = i;
      while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
        i++;
      }
      if (i == e) {
        throw DECLINED;
      }
      fraction = true;
    }
    if (i != n || !fraction) {
      throw DECLINED;
    }
    return NODES.numberNode(Double.parseDouble(text));
  }

  /** Digits in three or more groups separated by single dots (no YAML number has two dots). */
  private static boolean dottedAddress(String text) {
    int dots = 0;
    int groupLength = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '.') {
        if (groupLength == 0) {
          return false;
        }
        dots++;
        groupLength = 0;
      } else if (c >= '0' && c <= '9') {
        groupLength++;
      } else {
        return false;
      }
    }
    return dots >= 2 && groupLength > 0;
  }

  /** A flow collection on one line: {a: 1, b: [x, y]}. */
  private static final class Flow {
    private final String text;
    int at;

    Flow(String text) {
      this.text = text;
    }

    void skipSpaces() {
      while (at < text.length() && text.charAt(at) == ' ') {
        at++;
      }
    }

    private char peek() {
      if (at >= text.length()) {
        throw DECLINED; // the collection goes on on the next line
      }
      return text.charAt(at);
    }

    JsonNode value() {
      skipSpaces();
      char c = peek();
      if (c == '{') {
        return map();
      }
      if (c == '[') {
        return list();
      }
      int start = at;
      if (c == '"' || c == '\'') {
        int close = text.indexOf(c, at + 1);
        if (close < 0) {
          throw DECLINED;
        }
        at = close + 1;
        return NODES.textNode(text.substring(start + 1, close));
      }
      while (at < text.length() && ",]}".indexOf(text.charAt(at)) < 0) {
        at++;
      }
      String word = text.substring(start, at).strip();
      if (word.isEmpty() || word.indexOf(',') >= 0) {
        throw DECLINED;
      }
      return plain(word);
    }

    private ObjectNode map() {
      ObjectNode o = NODES.objectNode();
      at++;
      skipSpaces();
      if (peek() == '}') {
        at++;
        return o;
      }
      while (true) {
        skipSpaces();
        int start = at;
        while (at < text.length() && isKeyChar(text.charAt(at))) {
          at++;
        }
        String key = text.substring(start, at);
        if (key.isEmpty() || !Character.isLetter(key.charAt(0)) && key.charAt(0) != '_' || at + 1 >= text.length()
            || text.charAt(at) != ':' || text.charAt(at + 1) != ' ' || special(key) != null || isSpecialWord(key)) {
          throw DECLINED;
        }
        at += 2;
        o.set(key, value());
        skipSpaces();
        char c = peek();
        at++;
        if (c == '}') {
          return o;
        }
        if (c != ',') {
          throw DECLINED;
        }
        skipSpaces();
        if (peek() == '}') {
          throw DECLINED; // a trailing comma
        }
      }
    }

    private ArrayNode list() {
      ArrayNode a = NODES.arrayNode();
      at++;
      skipSpaces();
      if (peek() == ']') {
        at++;
        return a;
      }
      while (true) {
        a.add(value());
        skipSpaces();
        char c = peek();
        at++;
        if (c == ']') {
          return a;
        }
        if (c != ',') {
          throw DECLINED;
        }
        skipSpaces();
        if (peek() == ']') {
          throw DECLINED;
        }
      }
    }
  }
}
