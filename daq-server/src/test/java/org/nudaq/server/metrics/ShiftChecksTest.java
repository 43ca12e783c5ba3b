package org.nudaq.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ShiftChecksTest {
  private static final long S = 1_000_000_000L;

  /** alerts.yml's rules: name → expression (single-line ones as written, block ones joined). */
  private static Map<String, String> rulesOfAlertsYml() throws Exception {
    String yml = Files.readString(Path.of("../config/prometheus/alerts.yml"));
    Map<String, String> rules = new LinkedHashMap<>();
    Matcher m = Pattern.compile("- alert: (\\w+)\\n(?:\\s*#.*\\n)*\\s*expr: (.+)").matcher(yml);
    while (m.find()) {
      rules.put(m.group(1), m.group(2).trim());
    }
    return rules;
  }

  @Test
  void everyMirroredRuleIsTheExpressionOfAlertsYml() throws Exception {
    Map<String, String> yml = rulesOfAlertsYml();
    assertThat(yml).containsKeys("NudaqDaemonDown", "NudaqVetoRateOffMean"); // the parse found the file's rules
    for (Map.Entry<String, String> e : ShiftChecks.RULES.entrySet()) {
      assertThat(yml.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
    }
    // Every rule of alerts.yml is mirrored except the two the daemon cannot evaluate itself.
    assertThat(ShiftChecks.RULES.keySet()).hasSize(yml.size() - 2);
  }

  @Test
  void everyCheckHasTheSeverityOfItsRule() throws Exception {
    String yml = Files.readString(Path.of("../config/prometheus/alerts.yml"));
    Map<String, String> severity = new LinkedHashMap<>();
    Matcher m = Pattern.compile("- alert: (\\w+)[\\s\\S]*?severity: (\\w+)").matcher(yml);
    while (m.find()) {
      severity.put(m.group(1), m.group(2));
    }
    ShiftChecks c = new ShiftChecks(new Meters().registry);
    c.sample(0);
    assertThat(c.checks()).hasSize(15).allSatisfy(x ->
        assertThat(x.severity().name().toLowerCase(java.util.Locale.ROOT)).as(x.alert()).isEqualTo(severity.get(x.alert())));
  }

  /** The meters the checks read, with the values a test sets. */
  private static final class Meters {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final AtomicLong events = new AtomicLong();
    final AtomicLong gaps = new AtomicLong();
    final AtomicLong crc = new AtomicLong();
    final AtomicLong late = new AtomicLong();
    final AtomicLong linkUp = new AtomicLong(1);
    final AtomicLong lagFrames = new AtomicLong();
    final AtomicLong diskFree = new AtomicLong(50);

    Meters() {
      FunctionCounter.builder("nudaq.events.received", events, AtomicLong::get).tag("board", "0").register(registry);
      FunctionCounter.builder("nudaq.link.sequence.gaps", gaps, AtomicLong::get).tag("board", "0").register(registry);
      FunctionCounter.builder("nudaq.link.crc.errors", crc, AtomicLong::get).tag("board", "0").register(registry);
      FunctionCounter.builder("nudaq.events.rejected", late, AtomicLong::get).tags("board", "0", "reason", "late").register(registry);
      FunctionCounter.builder("nudaq.events.rejected", new AtomicLong(1000), AtomicLong::get).tags("board", "0", "reason", "pileup").register(registry);
      Gauge.builder("nudaq.link.up", linkUp, AtomicLong::get).tag("board", "0").register(registry);
      Gauge.builder("nudaq.pipeline.lag.frames", lagFrames, AtomicLong::get).register(registry);
      Gauge.builder("nudaq.pipeline.lag", () -> 0).register(registry);
      Gauge.builder("nudaq.pipeline.queue.heap.max", () -> 1 << 30).register(registry);
      Gauge.builder("nudaq.data.disk.free", diskFree, AtomicLong::get).register(registry);
      Gauge.builder("nudaq.data.disk.total", () -> 100).register(registry);
      Gauge.builder("nudaq.snapshot.age", () -> 1).register(registry);
    }

    boolean firing(ShiftChecks c, String alert) {
      return c.checks().stream().filter(x -> x.alert().equals(alert)).findFirst().orElseThrow().firing();
    }
  }

  @Test
  void conditionsFireWithTheRulesThresholds() {
    Meters m = new Meters();
    ShiftChecks c = new ShiftChecks(m.registry);
    m.events.set(10);
    c.sample(0);
    assertThat(c.checks()).hasSize(15).noneMatch(ShiftChecks.Check::firing);
    m.linkUp.set(0);
    m.lagFrames.set(2049); // > 2048
    m.diskFree.set(9); // 9 % < 10 %
    c.sample(S);
    assertThat(m.firing(c, "NudaqLinkDown")).isTrue();
    assertThat(m.firing(c, "NudaqPipelineLag")).isTrue();
    assertThat(m.firing(c, "NudaqDiskNearlyFull")).isTrue();
    m.lagFrames.set(2048); // not above
    m.diskFree.set(10);
    c.sample(2 * S);
    assertThat(m.firing(c, "NudaqPipelineLag")).isFalse();
    assertThat(m.firing(c, "NudaqDiskNearlyFull")).isFalse();
    // No journal, no limits, no checkpoints registered: those checks say so and do not fire.
    assertThat(m.firing(c, "NudaqJournalDiskFull")).isFalse();
    assertThat(c.checks().stream().filter(x -> x.alert().equals("NudaqLimitsStale")).findFirst().orElseThrow().detail())
        .isEqualTo("no limits yet");
  }

  @Test
  void calibrationChecksFirePerDetectorWithTheRulesThresholds() {
    Meters m = new Meters();
    java.util.concurrent.atomic.AtomicReference<Double> shift = new java.util.concurrent.atomic.AtomicReference<>(0.02);
    java.util.concurrent.atomic.AtomicReference<Double> ok = new java.util.concurrent.atomic.AtomicReference<>(1.0);
    Gauge.builder("nudaq.calibration.alarm.shift.kev", () -> 0.05).register(m.registry);
    Gauge.builder("nudaq.calibration.shift.kev", shift, java.util.concurrent.atomic.AtomicReference::get)
        .tag("detector", "hpge-1").register(m.registry);
    Gauge.builder("nudaq.calibration.ok", ok, java.util.concurrent.atomic.AtomicReference::get)
        .tag("detector", "hpge-1").register(m.registry);
    ShiftChecks c = new ShiftChecks(m.registry);
    m.events.set(10);
    c.sample(0);
    assertThat(m.firing(c, "NudaqCalibrationDrift")).isFalse();
    assertThat(m.firing(c, "NudaqCalibrationFailing")).isFalse();
    shift.set(-0.06); // |−0.06| > 0.05 keV: abs() as in the rule
    ok.set(0.0);
    c.sample(S);
    assertThat(m.firing(c, "NudaqCalibrationDrift")).isTrue();
    assertThat(c.checks().stream().filter(x -> x.alert().equals("NudaqCalibrationDrift")).findFirst().orElseThrow().detail())
        .isEqualTo("hpge-1 -0.060 keV");
    assertThat(m.firing(c, "NudaqCalibrationFailing")).isTrue();
    shift.set(0.05); // not above
    c.sample(2 * S);
    assertThat(m.firing(c, "NudaqCalibrationDrift")).isFalse();
  }

  @Test
  void increasesAreCountedOverTheLastTenMinutesOnly() {
    Meters m = new Meters();
    ShiftChecks c = new ShiftChecks(m.registry);
    m.events.set(100);
    c.sample(0);
    m.gaps.set(3);
    c.sample(10 * S);
    assertThat(m.firing(c, "NudaqSequenceGaps")).isTrue();
    assertThat(c.checks().stream().filter(x -> x.alert().equals("NudaqSequenceGaps")).findFirst().orElseThrow().detail())
        .isEqualTo("sequence gaps in the last 10 min: board 0: 3");
    // Events keep coming, no further gaps: 11 minutes later the increase has left the window.
    for (long t = 20; t <= 680; t += 10) {
      m.events.addAndGet(5);
      c.sample(t * S);
    }
    assertThat(m.firing(c, "NudaqSequenceGaps")).isFalse();
    assertThat(m.firing(c, "NudaqNoEvents")).isFalse();
    // Then no events at all for ten minutes: NudaqNoEvents fires.
    for (long t = 690; t <= 1300; t += 10) {
      c.sample(t * S);
    }
    assertThat(m.firing(c, "NudaqNoEvents")).isTrue();
    assertThat(m.firing(c, "NudaqCrcErrors")).isFalse();
    assertThat(m.firing(c, "NudaqEventsLate")).as("other rejection reasons do not count").isFalse();
    m.late.set(4);
    c.sample(1310 * S);
    assertThat(m.firing(c, "NudaqEventsLate")).isTrue();
    assertThat(c.checks().stream().filter(x -> x.alert().equals("NudaqEventsLate")).findFirst().orElseThrow().detail())
        .isEqualTo("late events in the last 10 min: board 0: 4");
  }

  @Test
  void noEventsNeedsAMinuteOfHistoryBeforeItFires() {
    Meters m = new Meters();
    ShiftChecks c = new ShiftChecks(m.registry);
    c.sample(0);
    c.sample(30 * S);
    assertThat(m.firing(c, "NudaqNoEvents")).isFalse();
    c.sample(60 * S);
    assertThat(m.firing(c, "NudaqNoEvents")).isTrue();
  }
}
