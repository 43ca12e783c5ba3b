package org.nudaq.server.compass;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;

/**
 * A segment of {@link SegmentedCompassImport} that fails ends the import with its error, never in a hang
 * (issue 19: a thread waiting for the failed segment's feed state, or for the cut, waited for ever).
 * The fault is injected at a segment's set-up through the package-private hook.
 */
class SegmentedCompassFailureTest {
  @TempDir
  Path dir;

  private final NudaqConfig gemma = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));

  @Test
  void aSegmentFailingWhileAnotherThreadWaitsForItsStateFailsTheImport() throws Exception {
    Path run = write(dir.resolve("run"), 200_000);
    // Segment 2 (of the cut at the start) fails only once thread 1, its own segment ended, asks for its state to
    // cut it again: thread 1 then waits in offer() for a segment that never feeds.
    java.util.function.Consumer<CompassSegment> fault = s -> {
      if (s.captureSlab == 0) {
        return; // segment 1 runs normally
      }
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!s.offerWanted() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      throw new OutOfMemoryError("injected at segment set-up");
    };
    SegmentedCompassImport imp = new SegmentedCompassImport(gemma, false, new SegmentedCompassImport.Splitting(2, 10_000), fault);
    Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> assertThatThrownBy(() -> imp.run(run, CompassImport.Options.NONE, 2)).isInstanceOf(OutOfMemoryError.class)
            .hasMessage("injected at segment set-up"));
  }

  /** A run of the 2022 layout (header flags 0x5): {@code n} HPGe records at 100 kHz on ch 0, n/4 NaI on ch 1. */
  private static Path write(Path run, int n) throws IOException {
    Files.createDirectories(run);
    java.util.Random rnd = new java.util.Random(11);
    long[] ge = new long[n];
    long t = 10_000_000L;
    for (int i = 0; i < n; i++) {
      t += 1 + (long) (-Math.log(1 - rnd.nextDouble()) * 10_000_000L);
      ge[i] = t;
    }
    long[] nai = new long[n / 4];
    for (int i = 0; i < nai.length; i++) {
      nai[i] = ge[4 * i] + 500_000L;
    }
    writeFile(run.resolve("Data_CH0@V1725_0_run.BIN"), 0, ge, rnd);
    writeFile(run.resolve("Data_CH1@V1725_0_run.BIN"), 1, nai, rnd);
    return run;
  }

  private static void writeFile(Path file, int channel, long[] ps, java.util.Random rnd) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(2 + ps.length * 20).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) 0xCAE5);
    for (long p : ps) {
      int e = 10 + rnd.nextInt(4_000);
      b.putShort((short) 0).putShort((short) channel).putLong(p).putShort((short) e).putShort((short) (e / 2)).putInt(0x4000);
    }
    Files.write(file, b.array());
  }
}
