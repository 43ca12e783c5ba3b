package org.nudaq.server.journal;

import java.nio.file.Path;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.nudaq.monitor.config.JournalConfig;

/** Opens journal queues the same way everywhere (roll cycle from the configuration). Stateless. */
final class JournalQueues {
  private JournalQueues() {}

  static SingleChronicleQueue open(Path dir, JournalConfig.RollCycle rollCycle, boolean readOnly) {
    try {
      // The roll cycle is persisted in the queue's metadata: an existing journal keeps its own.
      SingleChronicleQueueBuilder b = SingleChronicleQueueBuilder.single(dir.toFile())
          .rollCycle(RollCycles.valueOf(rollCycle.name()));
      if (readOnly) {
        b.readOnly(true);
      }
      return b.build();
    } catch (RuntimeException e) {
      throw new JournalException("cannot open the journal dir=" + dir.toAbsolutePath() + ": " + e, e);
    }
  }
}
