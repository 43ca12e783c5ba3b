package org.nudaq.sim.board;

import java.util.ArrayList;
import java.util.List;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.ChannelConfig;
import org.nudaq.monitor.config.DetectorConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.sim.generator.EventGenerator;
import org.nudaq.sim.generator.EventSink;

/**
 * All configured boards behind one {@link EventSink}: routes each generated event to its board and
 * channel and, at each status point of the generator, latches a STATUS on every board. HPGe
 * detector {@code d} (index in {@code config.detectors()}) goes to the one HPGe channel that reads
 * it; the generator's NaI index {@code n} goes to the n-th NaI channel counted over the boards in
 * configuration order, then channels in order (the generator numbers them the same way).
 *
 * <p>Single-threaded (the generator's thread). {@link #attach} must be called with the generator
 * before it runs, since STATUS dead times come from it.
 */
public final class DigitizerModel implements EventSink {
  /** Default oldest age of an open aggregate before it is sent, detector ns (5 ms). */
  public static final long DEFAULT_AGGREGATE_MAX_AGE_NS = 5_000_000L;

  private final BoardModel[] boards;
  private final int[] hpgeBoard;
  private final int[] hpgeSlot;
  private final int[] naiBoard;
  private final int[] naiSlot;
  private final int[][] detectorOfSlot; // [board][slot] → HPGe detector index, −1 for NaI
  private final long[][] deadScratch;
  private EventGenerator generator;
  private long lastStatusNs = -1;

  /**
   * @param config  the configuration (detectors and boards)
   * @param buffers one buffer per board, in the order of {@code config.digitizer().boards()}
   * @param aggregateMaxAgeNs see {@link BoardModel}
   * @param timestampBits     see {@link BoardModel}
   */
  public DigitizerModel(NudaqConfig config, List<BoardBuffer> buffers, long aggregateMaxAgeNs, int timestampBits) {
    List<BoardConfig> bc = config.digitizer().boards();
    if (buffers.size() != bc.size()) {
      throw new IllegalArgumentException("need one buffer per board: boards=" + bc.size() + " buffers=" + buffers.size());
    }
    boards = new BoardModel[bc.size()];
    detectorOfSlot = new int[bc.size()][];
    deadScratch = new long[bc.size()][];
    List<DetectorConfig> detectors = config.detectors();
    hpgeBoard = new int[detectors.size()];
    hpgeSlot = new int[detectors.size()];
    java.util.Arrays.fill(hpgeBoard, -1);
    List<int[]> nai = new ArrayList<>();
    for (int b = 0; b < bc.size(); b++) {
      BoardConfig board = bc.get(b);
      boards[b] = new BoardModel(board, buffers.get(b), aggregateMaxAgeNs, timestampBits);
      detectorOfSlot[b] = new int[board.channels().size()];
      deadScratch[b] = new long[board.channels().size()];
      for (int s = 0; s < board.channels().size(); s++) {
        ChannelConfig c = board.channels().get(s);
        detectorOfSlot[b][s] = -1;
        if (c.role() == ChannelConfig.Role.NAI) {
          nai.add(new int[] {b, s});
        } else {
          for (int d = 0; d < detectors.size(); d++) {
            if (detectors.get(d).name().equals(c.detector())) {
              hpgeBoard[d] = b;
              hpgeSlot[d] = s;
              detectorOfSlot[b][s] = d;
            }
          }
        }
      }
    }
    for (int d = 0; d < detectors.size(); d++) {
      if (hpgeBoard[d] < 0) {
        throw new IllegalArgumentException("detector '" + detectors.get(d).name() + "' is read by no hpge channel");
      }
    }
    naiBoard = new int[nai.size()];
    naiSlot = new int[nai.size()];
    for (int n = 0; n < nai.size(); n++) {
      naiBoard[n] = nai.get(n)[0];
      naiSlot[n] = nai.get(n)[1];
    }
  }

  /**
   * Binds the generator whose dead-time counters the STATUS frames report, and latches a first
   * STATUS at detector time 0 as a board does when acquisition starts: the reactor state and the
   * counters are then known from the first tick, so no live time is of unknown state.
   */
  public void attach(EventGenerator generator) {
    if (generator.naiChannels() != naiBoard.length) {
      throw new IllegalArgumentException("generator has " + generator.naiChannels() + " NaI channels, boards have " + naiBoard.length);
    }
    this.generator = generator;
    if (generator.nowNs() == 0) {
      onStatus(0, generator.reactorOn());
    }
  }

  public List<BoardModel> boards() {
    return List.of(boards);
  }

  public BoardModel board(int index) {
    return boards[index];
  }

  @Override
  public void onEvent(int detectorIndex, boolean hpge, long timestampNs, double energyKeV, int flags, int eventClass) {
    if (hpge) {
      boards[hpgeBoard[detectorIndex]].onEvent(hpgeSlot[detectorIndex], timestampNs, energyKeV, flags);
    } else {
      boards[naiBoard[detectorIndex]].onEvent(naiSlot[detectorIndex], timestampNs, energyKeV, flags);
    }
  }

  @Override
  public void onStatus(long timestampNs, boolean reactorOn) {
    if (generator == null) {
      throw new IllegalStateException("DigitizerModel.attach(generator) was not called");
    }
    for (int b = 0; b < boards.length; b++) {
      long[] dead = deadScratch[b];
      int[] det = detectorOfSlot[b];
      for (int s = 0; s < dead.length; s++) {
        dead[s] = det[s] >= 0 ? generator.deadTimeNsUntil(det[s], timestampNs) : 0;
      }
      boards[b].onStatus(timestampNs, reactorOn, dead);
    }
    lastStatusNs = timestampNs;
  }

  /** Ends a run at the generator's current time: a last STATUS unless one was just latched. */
  public void finish() {
    long now = generator.nowNs();
    if (now != lastStatusNs) {
      onStatus(now, generator.reactorOn());
    }
  }
}
