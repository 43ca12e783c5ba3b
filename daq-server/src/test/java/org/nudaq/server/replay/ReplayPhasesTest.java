package org.nudaq.server.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The replay's phase lines (issue 19's measurements): one per mark, with the phase's CPU; none when off. */
class ReplayPhasesTest {
  @Test
  void eachMarkPrintsItsPhaseWithTheCpuSpentInItAndOffPrintsNothing() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ReplayPhases phases = ReplayPhases.printingOn(out);
    long spin = System.nanoTime() + 50_000_000L; // ~50 ms of this thread's CPU
    long x = 0;
    while (System.nanoTime() < spin) {
      x += x * 31 + 7;
    }
    phases.mark("busy");
    phases.detail("segment %d: %s", 1, "x" + (x & 1));
    phases.mark("idle");
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(4);
    assertThat(lines[0]).startsWith("phase (JVM start to here)").contains("s since the JVM started");
    assertThat(lines[1]).startsWith("phase busy").contains("CPU this thread", "process");
    // The loop's CPU: some (however little of the 50 ms the thread was scheduled on a loaded machine).
    double busyCpu = Double.parseDouble(lines[1].replaceAll(".*CPU this thread +([0-9.]+) s.*", "$1"));
    assertThat(busyCpu).isGreaterThan(0.0).isLessThan(3600.0);
    assertThat(lines[2]).isEqualTo("phase   segment 1: x" + (x & 1));
    assertThat(lines[3]).startsWith("phase idle");

    // Without -Dnudaq.replay.phases=true (the tests never set it): nothing.
    assertThat(System.getProperty(ReplayPhases.PROPERTY)).isNull();
    ByteArrayOutputStream none = new ByteArrayOutputStream();
    ReplayPhases off = ReplayPhases.fromSystemProperty(new PrintStream(none, true, StandardCharsets.UTF_8));
    off.mark("anything");
    off.detail("segment %d", 1);
    assertThat(off.sincePhaseStartNs(System.nanoTime())).isZero();
    assertThat(none.size()).isZero();
    assertThat(ReplayPhases.off().sincePhaseStartNs(System.nanoTime())).isZero();
  }
}
