package org.nudaq.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.nudaq.monitor.config.SlowControlConfig;
import org.nudaq.server.daemon.Daemon;
import org.nudaq.server.shift.LogKind;
import org.nudaq.server.shift.RunRecord;
import org.nudaq.server.shift.ShiftDesk;

/**
 * The shift endpoints of the HTTP API (issue 18; docs/shift.md):
 * {@code GET /api/runs}, {@code /api/logbook[?run=N]}, {@code /api/slow-control}, and the token-protected
 * {@code POST /api/control/run}, {@code /api/control/logbook}, {@code /api/control/slow-control} and
 * {@code /api/control/alerts} (Alertmanager's webhook). A request is parsed and checked whole before
 * anything is journaled: a bad one changes nothing and gets a 400 naming the field. Rejected slow-control
 * readings are counted in {@code nudaq_slow_control_rejected_total{reason}}.
 *
 * <p>Thread-safe (the work runs on the pipeline thread through the {@link ShiftDesk}).
 */
final class ShiftApi {
  static final int MAX_TEXT_CHARS = 10_000;
  static final int MAX_READINGS = 1_000;

  private final Daemon daemon;
  private final ObjectMapper mapper = new ObjectMapper();
  private final MeterRegistry registry;
  private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
  private final Counter accepted;

  ShiftApi(Daemon daemon, MeterRegistry registry) {
    this.daemon = daemon;
    this.registry = registry;
    this.accepted = Counter.builder("nudaq.slow.control.readings").description("slow-control readings accepted").register(registry);
    for (String reason : List.of("unknown_sensor", "not_a_number", "bad_request", "no_token")) {
      rejectedCounter(reason);
    }
    for (SlowControlConfig.Rule rule : daemon.config().slowControl().rules()) {
      String label = rule.label();
      io.micrometer.core.instrument.Gauge.builder("nudaq.slow.control.excluded.seconds",
              () -> daemon.shift().excludedSecondsByRule().getOrDefault(label, 0.0))
          .description("data time excluded by a slow-control rule in this session, s").tag("rule", label)
          .register(registry);
    }
  }

  private Counter rejectedCounter(String reason) {
    return rejected.computeIfAbsent(reason, r -> Counter.builder("nudaq.slow.control.rejected")
        .description("slow-control requests refused, by reason").tag("reason", r).register(registry));
  }

  /** Counts a slow-control request refused for want of the token (the router answers it 401). */
  void rejectedWithoutToken(String path) {
    if (path.equals("/api/control/slow-control")) {
      rejectedCounter("no_token").increment();
    }
  }

  /** Whether {@code path} is one of this class's GET endpoints. */
  static boolean serves(String path) {
    return path.equals("/api/runs") || path.equals("/api/logbook") || path.equals("/api/slow-control");
  }

  /** Whether {@code path} is one of this class's control actions. */
  static boolean controls(String path) {
    return path.equals("/api/control/run") || path.equals("/api/control/logbook") || path.equals("/api/control/slow-control")
        || path.equals("/api/control/alerts");
  }

  Object get(String path, String runParam) {
    ShiftDesk desk = daemon.shift();
    return switch (path) {
      case "/api/runs" -> desk.record().runsJson();
      case "/api/logbook" -> desk.record().logbookJson(runParam == null ? null : runNumber(runParam));
      case "/api/slow-control" -> desk.slowControlJson();
      default -> throw new HttpException(404, "no API endpoint " + path);
    };
  }

  private static long runNumber(String v) {
    try {
      long n = Long.parseLong(v);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new HttpException(400, "run must be a run number (1, 2, …), got run=" + v);
  }

  /** A control action; the future completes with the response body (or fails with an HttpException). */
  CompletableFuture<Object> control(String path, String body) {
    ShiftDesk desk = daemon.shift();
    switch (path) {
      case "/api/control/run" -> {
        JsonNode n = object(body, "{\"action\": \"start\"|\"stop\", \"comment\": \"...\"}");
        String action = text(n, "action", true);
        String comment = text(n, "comment", false);
        String c = comment == null ? "" : comment;
        CompletableFuture<RunRecord> done = switch (action) {
          case "start" -> desk.startRun(c);
          case "stop" -> desk.stopRun(c);
          default -> throw new HttpException(400, "action must be \"start\" or \"stop\", got \"" + action + "\"");
        };
        return done.thenApply(r -> {
          var s = daemon.run().state();
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("running", s.running());
          m.put("number", s.runNumber());
          m.put("changedAt", s.changedAt().toString());
          m.put("run", r == null ? null : r.toMap());
          return m;
        });
      }
      case "/api/control/logbook" -> {
        JsonNode n = object(body, "{\"author\": \"...\", \"text\": \"...\"}");
        String author = text(n, "author", true);
        String text = text(n, "text", true);
        if (author.isBlank() || text.isBlank()) {
          throw new HttpException(400, "author and text must not be empty");
        }
        return desk.write(LogKind.OPERATOR, author, text).thenApply(e -> (Object) e.toMap());
      }
      case "/api/control/slow-control" -> {
        List<ShiftDesk.Reading> readings = readings(body);
        return desk.readings(readings).thenApply(k -> {
          accepted.increment(k);
          return (Object) Map.of("accepted", k);
        });
      }
      case "/api/control/alerts" -> {
        Map<String, Object> m;
        try {
          m = mapper.readValue(body, new TypeReference<Map<String, Object>>() {});
        } catch (JsonProcessingException e) {
          throw new HttpException(400, "body is not a JSON object: " + e.getOriginalMessage());
        }
        try {
          return desk.alertmanager(m).thenApply(k -> (Object) Map.of("entries", k));
        } catch (IllegalArgumentException e) {
          throw new HttpException(400, e.getMessage());
        }
      }
      default -> throw new HttpException(404, "no control action " + path);
    }
  }

  private List<ShiftDesk.Reading> readings(String body) {
    JsonNode n;
    try {
      n = object(body, "{\"readings\": [{\"sensor\": \"ln2Level\", \"value\": 83.0, \"time\": \"<ISO-8601, optional>\"}]}");
    } catch (HttpException e) {
      rejectedCounter("bad_request").increment();
      throw e;
    }
    JsonNode list = n.get("readings");
    if (list == null || !list.isArray() || list.isEmpty() || list.size() > MAX_READINGS) {
      rejectedCounter("bad_request").increment();
      throw new HttpException(400, "readings must be a list of 1 to " + MAX_READINGS + " readings {\"sensor\", \"value\", \"time\"}");
    }
    SlowControlConfig sc = daemon.config().slowControl();
    List<ShiftDesk.Reading> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode r = list.get(i);
      String where = "readings[" + i + "]";
      JsonNode sensor = r.get("sensor");
      if (sensor == null || !sensor.isTextual()) {
        rejectedCounter("bad_request").increment();
        throw new HttpException(400, where + ".sensor must be a sensor name (a string)");
      }
      if (sc.sensor(sensor.asText()) == null) {
        rejectedCounter("unknown_sensor").increment();
        List<String> names = sc.sensors().stream().map(SlowControlConfig.Sensor::name).toList();
        throw new HttpException(400, where + ".sensor: unknown sensor \"" + sensor.asText() + "\" (configured in slowControl.sensors: "
            + (names.isEmpty() ? "none" : String.join(", ", names)) + ")");
      }
      JsonNode value = r.get("value");
      if (value == null || !value.isNumber() || !Double.isFinite(value.asDouble())) {
        rejectedCounter("not_a_number").increment();
        throw new HttpException(400, where + ".value must be a finite number, got " + (value == null ? "nothing" : value.toString()));
      }
      Instant time = null;
      JsonNode t = r.get("time");
      if (t != null && !t.isNull()) {
        try {
          time = t.isTextual() ? OffsetDateTime.parse(t.asText()).toInstant() : null;
        } catch (DateTimeParseException e) {
          time = null;
        }
        if (time == null) {
          rejectedCounter("bad_request").increment();
          throw new HttpException(400, where + ".time must be an ISO-8601 time with offset, e.g. 2026-12-07T06:00:00Z, got " + t);
        }
      }
      out.add(new ShiftDesk.Reading(sensor.asText(), value.asDouble(), time));
    }
    return out;
  }

  private JsonNode object(String body, String shape) {
    JsonNode n;
    try {
      n = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      throw new HttpException(400, "body is not valid JSON: " + e.getOriginalMessage() + "; expected " + shape);
    }
    if (n == null || !n.isObject()) {
      throw new HttpException(400, "body must be a JSON object " + shape);
    }
    return n;
  }

  /** The string field {@code name}; required: 400 if absent; optional: null if absent; 400 if not a string or too long. */
  private static String text(JsonNode n, String name, boolean required) {
    JsonNode v = n.get(name);
    if (v == null || v.isNull()) {
      if (required) {
        throw new HttpException(400, "body must have a string field \"" + name + "\"");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw new HttpException(400, "\"" + name + "\" must be a string, got " + v);
    }
    if (v.asText().length() > MAX_TEXT_CHARS) {
      throw new HttpException(400, "\"" + name + "\" is longer than " + MAX_TEXT_CHARS + " characters");
    }
    return v.asText();
  }
}
