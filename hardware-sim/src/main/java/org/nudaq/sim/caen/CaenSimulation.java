package org.nudaq.sim.caen;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.wire.BoardStatus;
import org.nudaq.sim.board.BoardBuffer;
import org.nudaq.sim.board.DigitizerModel;
import org.nudaq.sim.generator.EventGenerator;
import org.nudaq.sim.generator.PhysicsRecoilRates;
import org.nudaq.sim.server.Pacing;
import org.nudaq.sim.wire.EventBatch;

/**
 * The simulator's physics and board models (the same generator, {@link DigitizerModel} and board
 * buffers as the nudaq-protocol simulation) feeding a CAEN-format output instead of nudaq frames: the
 * CoMPASS TCP stream ({@link CompassStreamServer}) or x27xx raw files ({@link X27xxRawWriter}). Generation
 * runs in steps of {@link #STEP_NS} detector time, paced against wall time (or as fast as possible),
 * and after each step the boards' buffers are drained into the sink on the same thread.
 *
 * <p>Single-threaded: {@link #run} on the caller's thread; {@link #stop} from any thread.
 */
public final class CaenSimulation {
  /** Detector time generated between two drains of the board buffers, ns (10 ms). */
  static final long STEP_NS = 10_000_000L;
  private static final long DAY_NS = 86_400L * 1_000_000_000L;

  private final NudaqConfig config;
  private final EventGenerator generator;
  private final DigitizerModel digitizer;
  private final List<BoardBuffer> buffers = new ArrayList<>();
  private final CaenSink sink;
  private volatile boolean stopRequested;
  private volatile long reachedNs;
  private long events;

  public CaenSimulation(NudaqConfig config, CaenSink sink) {
    this.config = config;
    this.sink = sink;
    int aggregate = Math.min(config.simulator().aggregateMaxEvents(), org.nudaq.monitor.wire.FrameDescriptor.MAX_EVENTS_PER_FRAME);
    for (int i = 0; i < config.digitizer().boards().size(); i++) {
      // Drained after every step on this thread: never blocks; a step's events beyond it are lost and counted.
      buffers.add(new BoardBuffer(Math.max(config.simulator().bufferEvents(), 1 << 20), aggregate, false));
    }
    digitizer = new DigitizerModel(config, buffers, Math.round(config.simulator().aggregateMaxAgeMs() * 1e6), 64);
    generator = new EventGenerator(config, PhysicsRecoilRates.perDetector(config), digitizer);
    digitizer.attach(generator);
  }

  /** Generates {@code days} detector days (infinite: until {@link #stop}), then ends the run and closes the sink. */
  public void run(Pacing pacing, double days) {
    long endNs = Double.isInfinite(days) ? Long.MAX_VALUE : Math.round(days * DAY_NS);
    long startWall = System.nanoTime();
    try {
      while (!stopRequested && generator.nowNs() < endNs) {
        long now = generator.nowNs();
        long target = now + STEP_NS;
        if (!pacing.isMax()) {
          double detectorNs = (System.nanoTime() - startWall) * pacing.accel();
          if (detectorNs < target) {
            LockSupport.parkNanos(1_000_000L);
            continue;
          }
        }
        generator.generateUntil(Math.min(target, endNs));
        reachedNs = generator.nowNs();
        drain();
      }
      digitizer.finish();
      drain();
    } finally {
      sink.close();
    }
  }

  private void drain() {
    List<BoardConfig> boards = config.digitizer().boards();
    for (int i = 0; i < buffers.size(); i++) {
      BoardBuffer buffer = buffers.get(i);
      BoardConfig board = boards.get(i);
      Object o;
      while ((o = buffer.poll()) != null) {
        if (o instanceof EventBatch b) {
          for (int k = 0; k < b.size(); k++) {
            sink.onEvent(board, b.channel(k), b.timestampTicks(k), b.energyAdc(k), b.flags(k));
          }
          events += b.size();
          buffer.release(b);
        } else if (o instanceof BoardStatus s) {
          sink.onStatus(board, s);
        }
      }
    }
    sink.flush();
  }

  /** Stops generation at the next step (any thread). */
  public void stop() {
    stopRequested = true;
  }

  /** Detector time reached, ns. */
  public long reachedNs() {
    return reachedNs;
  }

  /** Events given to the sink. */
  public long events() {
    return events;
  }

  public EventGenerator generator() {
    return generator;
  }

  public DigitizerModel digitizer() {
    return digitizer;
  }
}
