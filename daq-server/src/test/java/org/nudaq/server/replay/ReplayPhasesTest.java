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
    assertThat(lines[0]).startsWith("phase (process start to here)").contains("s since the process started");
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

  /**
   * The first line counts from the process's start, the JVM's creation included: bounded by the process's
   * elapsed time read independently from /proc before and after (Linux; 10 ms ticks), which the JVM's start
   * time (RuntimeMXBean, stamped after the JVM's creation: tens of ms later) falls short of.
   */
  @Test
  void theFirstLineCountsFromTheProcessStart() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/self/stat")),
        "Linux /proc");
    double before = elapsedFromProc(0);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ReplayPhases.printingOn(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    double after = elapsedFromProc(1);
    String first = bytes.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
    double printed = Double.parseDouble(first.replaceAll(".* at +([0-9.]+) s since the process started.*", "$1"));
    double sinceJvmStart = (System.currentTimeMillis()
        - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime()) * 1e-3;
    System.out.printf("phases: printed %.3f s since the process started; /proc %.3f..%.3f s; the JVM's start time %.3f s ago%n",
        printed, before, after, sinceJvmStart);
    // printf rounds to 1 ms; /proc's start is whole 10 ms ticks.
    assertThat(printed).isBetween(before - 0.0015, after + 0.0015);
  }

  /** Seconds since this process started from /proc, with its start tick taken as {@code tickOffset} ticks later. */
  private static double elapsedFromProc(int tickOffset) throws java.io.IOException {
    String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
    long ticks = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
    String up = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/uptime"));
    return Double.parseDouble(up.substring(0, up.indexOf(' '))) - (ticks - tickOffset) / 100.0;
  }
}
