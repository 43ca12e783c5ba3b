package org.nudaq.server.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.ChannelConfig;
import org.nudaq.monitor.config.DetectorConfig;
import org.nudaq.monitor.config.NudaqConfig;

/**
 * The configured sources (board, channel) numbered 0..n-1, with what each reads, and boards numbered
 * 0..b-1. Lookups are array indexing, allocation-free. Immutable after construction; thread-safe.
 */
final class ChannelMap {
  static final int NONE = -1;

  private final int[] boardIndexById;
  private final int[][] sourceByBoardChannel;
  final int sourceCount;
  final int boardCount;
  final int[] boardIds;
  final long[] boardTickPs;
  /** ADC resolution per board, bits (1..16). */
  final int[] boardAdcBits;
  final int[] sourceBoard;
  final int[] sourceChannel;
  final boolean[] sourceHpge;
  /** Detector index (config order) for HPGe sources, NaI index for NaI sources. */
  final int[] sourceDetector;
  final ChannelConfig[] sourceConfig;
  final int[][] boardSources;
  final int detectorCount;
  final int[] detectorSource;
  final DetectorConfig[] detectors;
  final int naiCount;
  final int[] naiSource;

  ChannelMap(NudaqConfig config) {
    List<BoardConfig> boards = config.digitizer().boards();
    detectors = config.detectors().toArray(new DetectorConfig[0]);
    detectorCount = detectors.length;
    detectorSource = new int[detectorCount];
    Arrays.fill(detectorSource, NONE);
    boardCount = boards.size();
    boardIds = new int[boardCount];
    boardTickPs = new long[boardCount];
    boardAdcBits = new int[boardCount];
    boardSources = new int[boardCount][];
    int maxId = 0;
    int n = 0;
    for (BoardConfig b : boards) {
      maxId = Math.max(maxId, b.id());
      n += b.channels().size();
    }
    boardIndexById = new int[maxId + 1];
    Arrays.fill(boardIndexById, NONE);
    sourceByBoardChannel = new int[boardCount][];
    sourceCount = n;
    sourceBoard = new int[n];
    sourceChannel = new int[n];
    sourceHpge = new boolean[n];
    sourceDetector = new int[n];
    sourceConfig = new ChannelConfig[n];
    List<Integer> nai = new ArrayList<>();
    int s = 0;
    for (int bi = 0; bi < boardCount; bi++) {
      BoardConfig b = boards.get(bi);
      boardIds[bi] = b.id();
      boardIndexById[b.id()] = bi;
      boardTickPs[bi] = TickTime.tickPsOf(b.tickNs());
      boardAdcBits[bi] = Math.max(1, Math.min(16, b.adcBits()));
      int maxCh = 0;
      for (ChannelConfig c : b.channels()) {
        maxCh = Math.max(maxCh, c.channel());
      }
      sourceByBoardChannel[bi] = new int[maxCh + 1];
      Arrays.fill(sourceByBoardChannel[bi], NONE);
      boardSources[bi] = new int[b.channels().size()];
      for (int k = 0; k < b.channels().size(); k++) {
        ChannelConfig c = b.channels().get(k);
        sourceByBoardChannel[bi][c.channel()] = s;
        boardSources[bi][k] = s;
        sourceBoard[s] = bi;
        sourceChannel[s] = c.channel();
        sourceConfig[s] = c;
        sourceHpge[s] = c.role() == ChannelConfig.Role.HPGE;
        if (sourceHpge[s]) {
          int d = detectorIndex(c.detector());
          sourceDetector[s] = d;
          detectorSource[d] = s;
        } else {
          sourceDetector[s] = nai.size();
          nai.add(s);
        }
        s++;
      }
    }
    for (int d = 0; d < detectorCount; d++) {
      if (detectorSource[d] == NONE) {
        throw new IllegalArgumentException("detector '" + detectors[d].name() + "' has no hpge channel in digitizer.boards");
      }
    }
    naiCount = nai.size();
    naiSource = nai.stream().mapToInt(Integer::intValue).toArray();
  }

  private int detectorIndex(String name) {
    for (int d = 0; d < detectors.length; d++) {
      if (detectors[d].name().equals(name)) {
        return d;
      }
    }
    throw new IllegalArgumentException("an hpge channel names the unknown detector '" + name + "'");
  }

  /** Board index for a board id, or {@link #NONE}. */
  int boardIndex(int boardId) {
    return boardId >= 0 && boardId < boardIndexById.length ? boardIndexById[boardId] : NONE;
  }

  /** A board's source index by channel ({@link #NONE} where not configured); callers must not modify it. */
  int[] sourcesByChannel(int boardIndex) {
    return sourceByBoardChannel[boardIndex];
  }

  /** Source index for (board index, channel), or {@link #NONE}. */
  int source(int boardIndex, int channel) {
    int[] m = sourceByBoardChannel[boardIndex];
    return channel >= 0 && channel < m.length ? m[channel] : NONE;
  }

  /** A short name for messages and snapshots: board{id}/ch{channel}. */
  String sourceName(int s) {
    return "board" + boardIds[sourceBoard[s]] + "/ch" + sourceChannel[s];
  }
}
