package org.nudaq.monitor.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Slow control: the sensors whose readings the daemon accepts (pushed to {@code POST /api/control/slow-control},
 * docs/shift.md "Slow control") and the data-quality rules on them. While a rule is violated — from the data
 * time of the reading that violates it to the data time of the next reading that does not — HPGe events are
 * gated (reason {@code slow_control}) and the real time is taken off the live time after gates, accounted under
 * the rule's label (e.g. {@code ln2Level < 20}). Immutable.
 *
 * @param sensors the configured sensors (names unique); a reading of any other sensor is refused
 * @param rules   the data-quality rules, each on one configured sensor
 */
public record SlowControlConfig(List<Sensor> sensors, List<Rule> rules) {

  /** No sensors, no rules (the default when the section is absent). */
  public static final SlowControlConfig NONE = new SlowControlConfig(List.of(), List.of());

  public SlowControlConfig {
    sensors = List.copyOf(sensors);
    rules = List.copyOf(rules);
  }

  /**
   * A sensor.
   *
   * @param name sensor name as readings give it, e.g. {@code ln2Level}
   * @param unit unit label for people (free text, e.g. {@code %}, {@code V}, {@code nA}, {@code K})
   */
  public record Sensor(String name, String unit) {}

  /** How a rule compares a reading with its limit. */
  public enum Comparison {
    /** Violated while the reading is below the limit. */
    BELOW("<"),
    /** Violated while the reading is above the limit. */
    ABOVE(">");

    /** The comparison's symbol in the rule's label. */
    public final String symbol;

    Comparison(String symbol) {
      this.symbol = symbol;
    }
  }

  /**
   * A data-quality rule: data are excluded while {@code sensor comparison limit} holds.
   *
   * @param sensor     a configured sensor's name
   * @param comparison below or above
   * @param limit      the limit, in the sensor's unit
   */
  public record Rule(String sensor, Comparison comparison, double limit) {
    /** The rule's label, its reason in every output: {@code "<sensor> < <limit>"} or {@code "<sensor> > <limit>"}. */
    public String label() {
      return sensor + " " + comparison.symbol + " " + ConfigNode.format(limit);
    }

    /** Whether {@code value} violates the rule. */
    public boolean violatedBy(double value) {
      return comparison == Comparison.BELOW ? value < limit : value > limit;
    }
  }

  /** The sensor named {@code name}, or null. */
  public Sensor sensor(String name) {
    for (Sensor s : sensors) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    return null;
  }

  static SlowControlConfig bind(ConfigNode n) {
    List<Sensor> sensors = n.list("sensors", s -> {
      String name = s.text("name", "");
      if (name.isBlank()) {
        s.error("name", "is required (the sensor's name, e.g. ln2Level)");
      }
      return new Sensor(name, s.text("unit", ""));
    });
    Set<String> names = new java.util.LinkedHashSet<>();
    for (int i = 0; i < sensors.size(); i++) {
      if (!sensors.get(i).name().isBlank() && !names.add(sensors.get(i).name())) {
        n.error("sensors[" + i + "].name", "duplicate sensor name '" + sensors.get(i).name() + "'");
      }
    }
    List<Rule> rules = n.list("rules", r -> {
      String sensor = r.text("sensor", "");
      if (!names.contains(sensor)) {
        r.error("sensor", "must name a sensor of slowControl.sensors (" + String.join(", ", names) + "), got '" + sensor + "'");
      }
      boolean below = r.has("below");
      boolean above = r.has("above");
      if (below == above) {
        r.error(null, "needs exactly one of below: <limit> or above: <limit>");
        return new Rule(sensor, Comparison.BELOW, 0);
      }
      Comparison c = below ? Comparison.BELOW : Comparison.ABOVE;
      double limit = r.requiredNumber(c.name().toLowerCase(Locale.ROOT));
      return new Rule(sensor, c, limit);
    });
    return new SlowControlConfig(sensors, rules);
  }
}
