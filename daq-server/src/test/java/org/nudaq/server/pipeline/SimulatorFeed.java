package org.nudaq.server.pipeline;

import org.nudaq.monitor.wire.EventFlags;
import java.util.ArrayList;
import java.util.List;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.ChannelConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.sim.generator.EventClass;
import org.nudaq.sim.generator.EventGenerator;
import org.nudaq.sim.generator.EventSink;

/**
 * Turns the simulator's generated events into what the link layer would hand the pipeline:
 * board/channel, ticks (BoardConfig.tickNs), ADC (ChannelConfig.adcForKeV, clamped to the ADC range
 * with the SATURATION flag), sent as per-channel aggregates so channels interleave out of order;
 * at each simulator status point every aggregate is flushed, then a status frame per board with the
 * dead time the generator's digitizer accumulated.
 */
final class SimulatorFeed implements EventSink {
  private static final int AGGREGATE = 64;

  private final EventPipeline pipeline;
  private EventGenerator generator;
  private final int[] hpgeBoard;
  private final int[] hpgeChannel;
  private final ChannelConfig[] hpgeConfig;
  private final int[] naiBoard;
  private final int[] naiChannel;
  private final ChannelConfig[] naiConfig;
  private final long tickNs;
  private final int adcMax;
  // Per-channel aggregates: [hpge detectors..., nai channels...].
  private final long[][] bufTicks;
  private final int[][] bufAdc;
  private final int[][] bufFlags;
  private final int[] bufSize;
  private final int[] chBoard;
  private final int[] chChannel;
  /** The configured boards' ids, in configuration order. */
  private final int[] boards;
  final long[] hpgeByClass = new long[EventClass.values().length];
  final long[] naiByClass = new long[EventClass.values().length];
  long statusFrames;

  SimulatorFeed(NudaqConfig config, EventPipeline pipeline) {
    this.pipeline = pipeline;
    List<int[]> nai = new ArrayList<>();
    List<ChannelConfig> naiCfg = new ArrayList<>();
    int nd = config.detectors().size();
    hpgeBoard = new int[nd];
    hpgeChannel = new int[nd];
    hpgeConfig = new ChannelConfig[nd];
    BoardConfig first = config.digitizer().boards().get(0);
    tickNs = Math.round(first.tickNs());
    adcMax = (1 << first.adcBits()) - 1;
    for (BoardConfig b : config.digitizer().boards()) {
      for (ChannelConfig c : b.channels()) {
        if (c.role() == ChannelConfig.Role.NAI) {
          nai.add(new int[] {b.id(), c.channel()});
          naiCfg.add(c);
        } else {
          for (int d = 0; d < nd; d++) {
            if (config.detectors().get(d).name().equals(c.detector())) {
              hpgeBoard[d] = b.id();
              hpgeChannel[d] = c.channel();
              hpgeConfig[d] = c;
            }
          }
        }
      }
    }
    boards = config.digitizer().boards().stream().mapToInt(BoardConfig::id).toArray();
    naiBoard = nai.stream().mapToInt(a -> a[0]).toArray();
    naiChannel = nai.stream().mapToInt(a -> a[1]).toArray();
    naiConfig = naiCfg.toArray(new ChannelConfig[0]);
    int n = nd + nai.size();
    bufTicks = new long[n][AGGREGATE];
    bufAdc = new int[n][AGGREGATE];
    bufFlags = new int[n][AGGREGATE];
    bufSize = new int[n];
    chBoard = new int[n];
    chChannel = new int[n];
    for (int d = 0; d < nd; d++) {
      chBoard[d] = hpgeBoard[d];
      chChannel[d] = hpgeChannel[d];
    }
    for (int k = 0; k < nai.size(); k++) {
      chBoard[nd + k] = naiBoard[k];
      chChannel[nd + k] = naiChannel[k];
    }
  }

  /** Sends the run-start status (counters zero, the schedule's initial state). */
  void start(EventGenerator gen) {
    this.generator = gen;
    sendStatus(0, gen.reactorOn());
  }

  @Override
  public void onEvent(int detectorIndex, boolean hpge, long timestampNs, double energyKeV, int flags, int eventClass) {
    ChannelConfig cfg = hpge ? hpgeConfig[detectorIndex] : naiConfig[detectorIndex];
    int ch = hpge ? detectorIndex : hpgeConfig.length + detectorIndex;
    (hpge ? hpgeByClass : naiByClass)[eventClass]++;
    int adc = cfg.adcForKeV(energyKeV);
    if (adc > adcMax) {
      adc = adcMax;
      flags |= EventFlags.SATURATION;
    } else if (adc < 0) {
      adc = 0;
    }
    int i = bufSize[ch]++;
    bufTicks[ch][i] = timestampNs / tickNs;
    bufAdc[ch][i] = adc;
    bufFlags[ch][i] = flags;
    if (bufSize[ch] == AGGREGATE) {
      flush(ch);
    }
  }

  private void flush(int ch) {
    for (int i = 0; i < bufSize[ch]; i++) {
      pipeline.onEvent(chBoard[ch], chChannel[ch], bufTicks[ch][i], bufAdc[ch][i], bufFlags[ch][i], 0);
    }
    bufSize[ch] = 0;
  }

  @Override
  public void onStatus(long timestampNs, boolean reactorOn) {
    for (int ch = 0; ch < bufSize.length; ch++) {
      flush(ch);
    }
    sendStatus(timestampNs, reactorOn);
  }

  private void sendStatus(long t, boolean on) {
    // One status frame per board, with the channels of that board (several boards: e.g. GEMMA-II).
    long ticks = t / tickNs;
    for (int board : boards) {
      pipeline.onStatusBegin(board, ticks, ticks, on ? 1 : 0);
      for (int d = 0; d < hpgeConfig.length; d++) {
        if (hpgeBoard[d] == board) {
          long dead = generator.deadTimeNsUntil(d, t) / tickNs;
          pipeline.onStatusChannel(hpgeBoard[d], hpgeChannel[d], ticks - dead, dead, 0, 0);
        }
      }
      for (int k = 0; k < naiBoard.length; k++) {
        if (naiBoard[k] == board) {
          pipeline.onStatusChannel(naiBoard[k], naiChannel[k], ticks, 0, 0, 0);
        }
      }
      pipeline.onStatusEnd(board);
    }
    statusFrames++;
  }
}
