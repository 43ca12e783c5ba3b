package org.nudaq.server.stress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.server.ChildJvm;
import org.nudaq.monitor.config.DigitizerConfig;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.server.journal.GoodbyeJournaled;
import org.nudaq.server.journal.JournalReader;
import org.nudaq.server.journal.JournalVisitor;

/**
 * A board sending maximum-size EVENTS frames (1 MiB, 65,533 events) as fast as TCP takes them, for
 * more than 2 GiB, to the real daemon ({@code ServerMain run} in a child JVM with {@code -Xmx512m}):
 * the heap after a full GC stays bounded (the frame queue holds at most
 * {@code digitizer.frameQueueMaxBytes} + 1 MiB, the link stops reading when it is full), the daemon
 * does not run out of memory, and every frame the board numbered is journaled or counted lost.
 * Before issue 13 the queue's 4,096 slots each kept a 1 MiB buffer: the heap grew to GiBs, and with
 * -Xmx1g the link thread ran out of memory and one frame counted by the link was neither journaled nor
 * counted lost.
 */
class LargeFramesHeapTest {
  /** 2,100 frames of 1,048,564 bytes: 2.05 GiB of traffic. */
  private static final int FRAMES = 2100;
  /**
   * Live heap after a full GC allowed, bytes: the daemon's baseline (~40 MB: pipeline, spectra, Chronicle,
   * Netty, classes) plus the frame queue's bound (digitizer.frameQueueMaxBytes = 64 MiB, plus one 1 MiB
   * frame), with 20 MiB of margin. Before the fix the queue alone grew past 450 MiB here (out of memory).
   */
  private static final long HEAP_AFTER_GC_LIMIT = (40L << 20) + DigitizerConfig.DEFAULT_FRAME_QUEUE_MAX_BYTES + (1L << 20)
      + (20L << 20);
  /**
   * The events' channel: not in the configuration, so the pipeline rejects each at arrival (counted as
   * UNKNOWN_CHANNEL) — what is tested is the link, the queue and the journal, and the child's runtime
   * stays short (with NaI events the pipeline takes 100 s for the 137 million events on a busy 2-core machine).
   */
  private static final int UNCONFIGURED_CHANNEL = 7;
  private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

  @Test
  void maximumSizeFramesAtFullSpeedKeepTheHeapBoundedAndLoseNothingUncounted(@TempDir Path dir) throws Exception {
    try (FakeBoard board = new FakeBoard(0)) {
      Path yaml = config(dir, board.port());
      Path data = dir.resolve("data");
      Path log = dir.resolve("daemon.log");
      Process daemon = ChildJvm.daemon(yaml, data, log, "-Xmx512m");
      AtomicLong maxHeapAfterGcBytes = new AtomicLong();
      List<Long> samples = new ArrayList<>();
      try {
        FakeBoard.Connection c = board.accept(60_000);
        Thread sampler = new Thread(() -> {
          while (!Thread.currentThread().isInterrupted() && daemon.isAlive()) {
            long used = heapAfterFullGc(daemon.pid());
            if (used > 0) {
              synchronized (samples) {
                samples.add(used);
              }
              maxHeapAfterGcBytes.accumulateAndGet(used, Math::max);
            }
            try {
              Thread.sleep(3000);
            } catch (InterruptedException e) {
              return;
            }
          }
        }, "heap-sampler");
        long t0 = System.nanoTime();
        c.hello(0);
        sampler.start();
        long sentBytes = 0;
        for (int i = 1; i <= FRAMES; i++) {
          c.events(0, i, 1_000L * FrameDescriptor.MAX_EVENTS_PER_FRAME * i, FrameDescriptor.MAX_EVENTS_PER_FRAME, UNCONFIGURED_CHANNEL);
          sentBytes += FrameDescriptor.eventsFrameLength(FrameDescriptor.MAX_EVENTS_PER_FRAME);
          assertThat(daemon.isAlive()).as("daemon alive after frame %d (see %s)", i, log).isTrue();
        }
        c.goodbye(FRAMES + 1);
        double seconds = (System.nanoTime() - t0) * 1e-9;
        // The GOODBYE journaled means every frame before it was too (the link stops reading rather than drop).
        GoodbyeJournaled.await(data.resolve("journal"), daemon, log);
        sampler.interrupt();
        sampler.join();
        daemon.destroy(); // SIGTERM: drains, writes the run summary
        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
        c.close();
        String text = Files.readString(log);
        assertThat(text).doesNotContain("OutOfMemoryError").doesNotContain("could not be passed on");

        JsonNode summary = new ObjectMapper().readTree(data.resolve("run-summary.json").toFile());
        long lost = summary.get("accounting").get("lostFrames").asLong();
        long journaled = framesJournaled(data.resolve("journal"));
        long numbered = FRAMES + 2; // HELLO, the EVENTS, GOODBYE
        System.out.printf("large frames: %d bytes (%.2f GiB) sent in %.1f s (%.0f MB/s) to a -Xmx512m daemon; heap after full "
                + "GC: max %d bytes over %d samples %s; numbered %d, journaled %d, counted lost %d%n", sentBytes,
            sentBytes / (double) (1L << 30), seconds, sentBytes / seconds / 1e6, maxHeapAfterGcBytes.get(), samples.size(),
            samples, numbered, journaled, lost);
        System.out.printf("large frames: link paused %s times%n", summary.get("links").get(0).get("backpressurePauses"));
        assertThat(sentBytes).isGreaterThan(2L << 30);
        assertThat(samples.size()).as("heap samples during the flood").isGreaterThanOrEqualTo(3);
        assertThat(maxHeapAfterGcBytes.get()).as("heap after a full GC, bytes").isLessThan(HEAP_AFTER_GC_LIMIT);
        assertThat(journaled + lost).as("numbered = journaled + counted lost").isEqualTo(numbered);
        assertThat(lost).as("TCP back-pressure: nothing lost").isZero();
        assertThat(summary.get("accounting").get("received").asLong())
            .isEqualTo((long) FRAMES * FrameDescriptor.MAX_EVENTS_PER_FRAME);
        JsonNode link = summary.get("links").get(0);
        assertThat(link.get("backpressurePauses").asLong()).as("the queue filled and the link stopped reading").isPositive();
        assertThat(link.get("framesDropped").asLong()).isZero();
        assertThat(link.get("framesReceived").asLong()).isEqualTo(numbered);
      } finally {
        if (daemon.isAlive()) {
          daemon.destroyForcibly();
        }
      }
    }
  }

  /**
   * The daemon's live heap after a full GC, bytes (0 if jcmd failed): {@code jcmd GC.class_histogram}
   * runs a full GC and counts only what survived it, in one step (a separate GC.run and GC.heap_info
   * would count what was allocated between the two).
   */
  private static long heapAfterFullGc(long pid) {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    try {
      Process histogram = new ProcessBuilder(jcmd, Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
      String out = new String(histogram.getInputStream().readAllBytes());
      histogram.waitFor(30, TimeUnit.SECONDS);
      Matcher m = HISTOGRAM_TOTAL.matcher(out);
      return m.find() ? Long.parseLong(m.group(1)) : 0;
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static Path config(Path dir, int boardPort) throws IOException {
    String gemma = Files.readString(Path.of("../config/gemma-1.yaml"));
    String text = gemma
        .replace("port: 9401", "port: " + boardPort)
        .replace("port: 9470", "port: 0")
        .replace("tokenFile: data/control.token", "tokenFile: " + dir.resolve("control.token"))
        .replace("digitizer:\n", "digitizer:\n  frameQueueMaxBytes: " + DigitizerConfig.DEFAULT_FRAME_QUEUE_MAX_BYTES + "\n");
    assertThat(text).contains("frameQueueMaxBytes").contains("port: " + boardPort);
    Path yaml = dir.resolve("daemon.yaml");
    Files.writeString(yaml, text);
    return yaml;
  }

  private static long framesJournaled(Path journal) {
    long[] n = new long[1];
    try (JournalReader reader = new JournalReader(journal)) {
      JournalVisitor v = new JournalVisitor() {
        @Override
        public void onFrame(long index, long wallClockEpochMs, int boardId, byte[] frame, int length, long framesLostBefore) {
          n[0]++;
        }
      };
      while (reader.next(v)) {
        // count
      }
    }
    return n[0];
  }
}
