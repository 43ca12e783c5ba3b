package org.nudaq.server.daemon;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Pretty-printed JSON of a summary (the run summary, the replay summary, the calibration report), byte
 * for byte what {@code ObjectMapper} with {@code INDENT_OUTPUT} writes, by the streaming generator
 * alone when the value is made of maps, lists, strings, booleans, nulls and boxed numbers (what the
 * summaries hold): an ObjectMapper's set-up (class initialisation, serializer lookup) is start-up
 * time a replay need not pay (issue 19). Any other value goes through an ObjectMapper as before.
 * Thread-safe (the factory is immutable).
 */
final class SummaryJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private SummaryJson() {}

  /** Writes {@code value} to {@code out} (closed afterwards), keys in the maps' iteration order. */
  static void write(Object value, OutputStream out) throws IOException {
    if (!plain(value)) {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out, value);
      return;
    }
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.useDefaultPrettyPrinter();
      write(g, value);
    }
  }

  /** Whether the generator alone writes {@code value} as ObjectMapper would. */
  static boolean plain(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer || value instanceof Long
        || value instanceof Double || value instanceof Float || value instanceof Short || value instanceof BigDecimal
        || value instanceof BigInteger) {
      return true;
    }
    if (value instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String) || !plain(e.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (value instanceof List<?> l) {
      for (Object v : l) {
        if (!plain(v)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  private static void write(JsonGenerator g, Object value) throws IOException {
    if (value instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName((String) e.getKey());
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (value instanceof List<?> l) {
      g.writeStartArray();
      for (Object v : l) {
        write(g, v);
      }
      g.writeEndArray();
    } else {
      writeScalar(g, value);
    }
  }

  /** A null, string, boolean or boxed number ({@link #plain}); Integer, Short and Long print alike. */
  private static void writeScalar(JsonGenerator g, Object value) throws IOException {
    if (value == null) {
      g.writeNull();
    } else if (value instanceof String s) {
      g.writeString(s);
    } else if (value instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (value instanceof Integer || value instanceof Short || value instanceof Long) {
      g.writeNumber(((Number) value).longValue());
    } else if (value instanceof Double d) {
      g.writeNumber(d);
    } else if (value instanceof Float f) {
      g.writeNumber(f);
    } else if (value instanceof BigDecimal d) {
      g.writeNumber(d);
    } else {
      g.writeNumber((BigInteger) value);
    }
  }
}
