package org.nudaq.server.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.nudaq.monitor.config.ChannelConfig;
import org.nudaq.server.pipeline.EventFate;
import org.nudaq.server.pipeline.EventFateSink;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.ReactorState;

/**
 * The export's {@link EventFateSink}: writes each decided event as a row of the current
 * {@link EventBatch} (with its calibrated energy, computed by the pipeline's own calibration) and
 * hands full batches to the {@link ExportWriter}; keeps the reactor-state changes for the reactor
 * table, and gives each merged event the thermal power of the change at or before its time (NaN for
 * an event that never reached the reactor state: unknown channel, rejected late or fake). Allocation-free per event; pipeline thread only.
 */
final class EventCollector implements EventFateSink {
  private final ExportWriter writer;
  private final EventBatch batch;
  private final int[] boardOf;
  private final int[] channelOf;
  private final ChannelConfig[] calibration;
  private final ReactorTable reactor = new ReactorTable();
  private final ExportProgress progress;
  private long events;

  EventCollector(List<EventPipeline.Source> sources, ExportWriter writer, int batchRows, ExportProgress progress) {
    this.writer = writer;
    this.batch = new EventBatch(batchRows);
    this.progress = progress;
    int n = sources.size();
    boardOf = new int[n];
    channelOf = new int[n];
    calibration = new ChannelConfig[n];
    for (EventPipeline.Source s : sources) {
      boardOf[s.index()] = s.boardId();
      channelOf[s.index()] = s.channel();
      calibration[s.index()] = s.config();
    }
  }

  @Override
  public void onEvent(int source, long timeNs, int energyAdc, int flags, ReactorState state, EventFate fate) {
    boolean merged = fate != EventFate.REJECTED_LATE && fate != EventFate.REJECTED_FAKE;
    add(timeNs, boardOf[source], channelOf[source], source, energyAdc, calibration[source].energyKeV(energyAdc), flags,
        state, merged ? reactor.powerAt(timeNs) : Double.NaN, fate);
  }

  @Override
  public void onUnknownChannel(int boardId, int channel, long timeNs, int energyAdc, int flags) {
    add(timeNs, boardId, channel, -1, energyAdc, Double.NaN, flags, ReactorState.UNKNOWN, Double.NaN,
        EventFate.REJECTED_UNKNOWN_CHANNEL);
  }

  private void add(long timeNs, int board, int channel, int source, int adc, double keV, int flags, ReactorState state,
      double powerFraction, EventFate fate) {
    EventBatch b = batch;
    int i = b.size;
    b.timeNs[i] = timeNs;
    b.board[i] = board;
    b.channel[i] = channel;
    b.source[i] = source;
    b.energyAdc[i] = adc;
    b.energyKeV[i] = keV;
    b.flags[i] = flags;
    b.reactorState[i] = (byte) state.ordinal();
    b.reactorPower[i] = powerFraction;
    b.fate[i] = (byte) fate.code();
    b.size = i + 1;
    if (b.size == b.timeNs.length) {
      flush();
    }
  }

  @Override
  public void onReactorState(long timeNs, ReactorState state, double powerFraction) {
    reactor.add(timeNs, state, powerFraction);
  }

  /** Writes the rows collected so far (called when the batch is full, and once at the end). */
  void flush() {
    if (batch.size == 0) {
      return;
    }
    try {
      writer.events(batch);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    events += batch.size;
    batch.size = 0;
    progress.update(events);
  }

  long events() {
    return events;
  }

  ReactorTable reactor() {
    return reactor;
  }
}
