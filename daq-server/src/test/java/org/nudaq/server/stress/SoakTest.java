package org.nudaq.server.stress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.server.link.LinkStats;
import org.nudaq.sim.server.Pacing;

/**
 * Soak (tag "soak", only with {@code mvn -Psoak}): the simulator at a high rate into the daemon for
 * {@code -Dnudaq.soakMinutes} minutes (default 10). Every 30 s the heap after GC, the open file
 * descriptors and the frame-queue lag are sampled; the later half of the samples must not grow
 * beyond the earlier half by more than a bound, and at the end every event sent is received.
 */
@Tag("soak")
class SoakTest {
  private static final long SAMPLE_MILLIS = 30_000;
  /** 20 kHz of NaI singles at 100× real time: ~2 million events/s, ~40% of what the machine sustains. */
  private static final double NAI_HZ = 20_000;
  private static final double ACCEL = 100;

  @Test
  void heapFileDescriptorsAndLagStayFlatAndEveryEventIsAccountedFor(@TempDir Path dir) throws Exception {
    double minutes = Double.parseDouble(System.getProperty("nudaq.soakMinutes", "10"));
    double days = minutes * 60 * ACCEL / 86_400;
    SimulatorToDaemon run = SimulatorToDaemon.start(SimulatorToDaemon.gemma1(NAI_HZ, 41), new Pacing(ACCEL), days, "", dir);
    List<long[]> samples = new ArrayList<>();
    try {
      while (!run.simulation().generationEnd().isDone()) {
        Thread.sleep(SAMPLE_MILLIS);
        long[] s = {heapAfterGc(), openFileDescriptors(), run.daemon().queue().size(), run.daemon().links().get(0).eventsReceived()};
        samples.add(s);
        System.out.printf("soak: t=%ds heap=%.1f MB fds=%d lag=%d frames events=%d%n", samples.size() * 30, s[0] / 1e6, s[1], s[2], s[3]);
      }
      JsonNode summary = run.finish(300);
      JsonNode truth = run.truth();
      long sent = 0;
      JsonNode channels = truth.get("boards").get(0).get("channels");
      for (int i = 0; i < channels.size(); i++) {
        JsonNode ch = channels.get(i);
        sent += ch.get("sentEvents").asLong();
        // Paced, the board's buffer can overflow in a hiccup of the shared machine: the board loses
        // triggers (as real hardware would) and reports them; the daemon must book exactly those.
        assertThat(summary.get("accounting").get("channels").get(i).get("lostTriggersReported").asLong())
            .as("channel %d lost triggers reported", i).isEqualTo(ch.get("lostTriggers").asLong());
      }
      LinkStats link = run.daemon().links().get(0);
      assertThat(summary.get("accounting").get("received").asLong()).isEqualTo(sent);
      assertThat(link.eventsReceived()).isEqualTo(sent);
      assertThat(summary.get("accounting").get("balances").asBoolean()).isTrue();
      assertThat(link.framesLost() + link.crcErrors() + link.skippedBytes()).isZero();
    } finally {
      run.close();
    }
    assertThat(samples.size()).as("samples (run at least 2 minutes)").isGreaterThanOrEqualTo(4);
    int half = samples.size() / 2;
    // Flat: the largest value of the later half no more than the earlier half's largest plus a margin.
    assertThat(max(samples, 0, half, samples.size())).as("heap after GC, later half, bytes")
        .isLessThanOrEqualTo(max(samples, 0, 0, half) + (32L << 20));
    assertThat(max(samples, 1, half, samples.size())).as("open file descriptors, later half")
        .isLessThanOrEqualTo(max(samples, 1, 0, half) + 5);
    assertThat(max(samples, 2, half, samples.size())).as("frame-queue lag, later half")
        .isLessThanOrEqualTo(Math.max(64, 2 * max(samples, 2, 0, half)));
  }

  private static long max(List<long[]> samples, int column, int from, int to) {
    long m = Long.MIN_VALUE;
    for (int i = from; i < to; i++) {
      m = Math.max(m, samples.get(i)[column]);
    }
    return m;
  }

  private static long heapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long openFileDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }
}
