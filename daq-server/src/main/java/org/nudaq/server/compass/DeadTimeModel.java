package org.nudaq.server.compass;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nudaq.monitor.config.CompassConfig;

/**
 * The live time of a CoMPASS import, given to the pipeline as status frames: CoMPASS list files record
 * no real, live or dead time, so for each of our boards a status frame at data time {@code t} reports
 * real time {@code t} (data time: the run's time stamps on its base, {@link CompassTimeBase}) and, per channel, the dead time of a
 * non-paralysable digitizer with {@code deadTimePerEventNs} per saved event (at most the real time).
 * With a dead time of 0 the live time is the real time. The frames also serve as the boards'
 * watermarks, as a live board's status frames do.
 *
 * <p>Single-threaded (the import's thread).
 */
final class DeadTimeModel {
  /** Saved (non-fake, mapped) events per compass.channels entry; the import counts into it. */
  final long[] saved;
  private final CompassInputs pipeline;
  private final List<CompassConfig.ChannelMapping> mappings;
  private final int[] boards;
  private final int[][] boardMappings;
  private final long[] tickPs;
  private final CompassTimeBase base;
  private final double deadPerEventPs;

  /**
   * @param tickPs             tick length by our board id, ps
   * @param base               the data time of the run being fed (its time stamps to ticks)
   * @param deadTimePerEventNs dead time per saved event, ns (≥ 0)
   */
  DeadTimeModel(CompassInputs pipeline, List<CompassConfig.ChannelMapping> mappings, long[] tickPs, CompassTimeBase base,
      double deadTimePerEventNs) {
    this.pipeline = pipeline;
    this.mappings = mappings;
    this.tickPs = tickPs;
    this.base = base;
    this.deadPerEventPs = deadTimePerEventNs * 1000;
    saved = new long[mappings.size()];
    Map<Integer, List<Integer>> byBoard = new LinkedHashMap<>();
    for (int k = 0; k < mappings.size(); k++) {
      byBoard.computeIfAbsent(mappings.get(k).toBoard(), b -> new ArrayList<>()).add(k);
    }
    boards = new int[byBoard.size()];
    boardMappings = new int[byBoard.size()][];
    int i = 0;
    for (Map.Entry<Integer, List<Integer>> e : byBoard.entrySet()) {
      boards[i] = e.getKey();
      boardMappings[i] = e.getValue().stream().mapToInt(Integer::intValue).toArray();
      i++;
    }
  }

  /** A status frame per board at the run's time stamp {@code runPs} (every record before it has been given). */
  void status(long runPs) {
    for (int i = 0; i < boards.length; i++) {
      status(i, base.ticksOf(boards[i], runPs));
    }
  }

  /**
   * A status frame per board at {@code runNs} after the run's start (its end).
   *
   * @throws ArithmeticException if that data time does not fit (nothing given then)
   */
  void statusAtRunNs(long runNs) {
    long[] t = new long[boards.length]; // once per run
    for (int i = 0; i < boards.length; i++) {
      t[i] = base.ticksOfRunNs(boards[i], runNs);
    }
    for (int i = 0; i < boards.length; i++) {
      status(i, t[i]);
    }
  }

  private void status(int i, long t) {
    int board = boards[i];
    pipeline.onStatusBegin(board, t, t, 0xFF);
    for (int k : boardMappings[i]) {
      long deadTicks = Math.min(t, Math.round(saved[k] * deadPerEventPs / tickPs[board]));
      pipeline.onStatusChannel(board, mappings.get(k).toChannel(), t - deadTicks, deadTicks, saved[k], 0);
    }
    pipeline.onStatusEnd(board);
  }
}
