package org.nudaq.server.journal;

import java.nio.file.Path;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.nudaq.monitor.config.JournalConfig;

/** Opens journal queues the same way everywhere (roll cycle from the configuration). Stateless. */
final class JournalQueues {
  private JournalQueues() {}

  static SingleChronicleQueue open(Path dir, JournalConfig.RollCycle rollCycle, boolean readOnly) {
    return open(dir, rollCycle, readOnly, null);
  }

  /** As above; {@code cycleTime} (a test seam, null: the system clock) decides the cycle files are named by. */
  static SingleChronicleQueue open(Path dir, JournalConfig.RollCycle rollCycle, boolean readOnly, TimeProvider cycleTime) {
    try {
      // The roll cycle is persisted in the queue's metadata: an existing journal keeps its own.
      SingleChronicleQueueBuilder b = SingleChronicleQueueBuilder.single(dir.toFile())
          .rollCycle(RollCycles.valueOf(rollCycle.name()));
      if (cycleTime != null) {
        b.timeProvider(cycleTime);
      }
      if (readOnly) {
        b.readOnly(true);
      }
      return b.build();
    } catch (RuntimeException e) {
      throw new JournalException("cannot open the journal at " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }
}
