package org.nudaq.server.pipeline;

import org.nudaq.monitor.wire.EventFlags;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.nudaq.monitor.config.GateConfig;
import org.nudaq.monitor.config.NudaqConfig;

/**
 * The daemon's event pipeline without networking: decoded digitizer events in, time-ordered merge,
 * calibration, NaI anticoincidence, gates, ON/OFF spectra with exact live time, and an event
 * accounting that balances exactly.
 *
 * <p><b>Threading.</b> One thread (the pipeline thread) owns all state and makes every call except
 * {@link #latest()}; there are no locks. The per-event path ({@link #onEvent}) allocates nothing.
 * Readers on other threads use {@link #latest()}, the immutable {@link PipelineSnapshot} last
 * published by {@link #publish(Instant)} through a volatile field.
 *
 * <p><b>Times.</b> Board timestamps are ticks since the board's run start; they become nanoseconds
 * with {@link TickTime#ticksToNs(long, long)} using the tick length of the board's hello (or
 * {@code BoardConfig.tickNs} before it). All boards are assumed to share one time base.
 *
 * <p><b>Accounting.</b> For every configured channel, received = accepted + vetoed + Σ rejected +
 * Σ gated + pending, at every moment ({@link #accountingBalances()}); after {@link #finish()} pending
 * is zero. See {@link RejectReason} for the order of precedence of the cuts.
 *
 * <p><b>Size.</b> Over the ~400-line rule on purpose: this is the pipeline's one public surface (the
 * inputs of the pipeline thread, the read API, checkpoints), each method a few lines handing over to
 * the part that owns the work: {@link TimeOrderedMerge}, {@link DecisionStage}, {@link LiveTimeAccounting},
 * {@link ReactorTimeline}, {@link PipelineCounters}, {@link SnapshotAssembler}.
 */
public final class EventPipeline {
  /** Default merge ring capacity per (board, channel), events. */
  public static final int DEFAULT_MERGE_CAPACITY = 1 << 16;
  /** Default look-ahead capacity for HPGe events awaiting their veto window, events. */
  public static final int DEFAULT_LOOKAHEAD_CAPACITY = 1 << 12;
  /**
   * Events per {@link #onBoardFrameEventColumns} call the pipeline is sized for (a call of more grows a column
   * once): the CoMPASS feed's batch of records ({@code compass.CompassRecordColumns.CAPACITY} is this).
   */
  public static final int COLUMN_EVENTS = 1024;
  private static final int RARE_FLAGS = EventFlags.LOST_TRIGGERS_BEFORE | EventFlags.TIMESTAMP_ROLLOVER
      | EventFlags.TIMESTAMP_RESET | EventFlags.FAKE;

  private final ChannelMap map;
  private final PipelineCounters counters;
  private final ReactorTimeline timeline;
  private final LiveTimeAccounting live;
  private final DecisionStage decisions;
  /** Slow-control data-quality rules (issue 18), consulted by the decision stage. */
  private final SlowControlGate slowControl;
  private final TimeOrderedMerge merge;
  private final SnapshotAssembler snapshots;
  private final boolean stateFromControl;
  /** Per-event fate hooks: {@link FateTracker#NONE} unless an export built this pipeline. */
  private final FateTracker fates;
  private final long[] tickPs;
  private final long[] tickNsExact;
  /** Issue 17: raw ADC spectra of the HPGe channels for the online calibration (empty when it is off). */
  private final RawAdcSpectra rawSpectra;
  private long unknownBoardFrames;
  private long unknownStatusChannels;
  private long ignoredControlCalls;
  private boolean finished;
  private static final int[] NO_SOURCES = {};
  /** The board of the EVENTS frame begun with {@link #beginBoardFrame(int)} (its index; negative if unknown), and its id. */
  private int frameBoard = ChannelMap.NONE;
  private int frameBoardId;
  /** Its sources by channel, and its exact tick length in ns (0 if not a whole number of ns). */
  private int[] frameSources = NO_SOURCES;
  private long frameTickNs;
  private volatile PipelineSnapshot latest;
  /** Issue 19: a board frame's records decoded into columns and offered to the merge run by run. */
  private final FrameRecordColumns frameColumns;

  /** A pipeline with the default buffer capacities. */
  public EventPipeline(NudaqConfig config) {
    this(config, DEFAULT_MERGE_CAPACITY, DEFAULT_LOOKAHEAD_CAPACITY);
  }

  /**
   * @param config             the configuration (digitizer, detectors, analysis, veto, gates)
   * @param mergeCapacity      merge ring capacity per (board, channel), a power of two
   * @param lookaheadCapacity  HPGe look-ahead capacity, a power of two
   */
  public EventPipeline(NudaqConfig config, int mergeCapacity, int lookaheadCapacity) {
    this(config, mergeCapacity, lookaheadCapacity, null);
  }

  /**
   * A pipeline with the default capacities that also tells {@code sink} every event's fate and every
   * reactor-state change (for exports; see {@link EventFateSink}). Such a pipeline cannot
   * {@link #restoreState restore} a saved state.
   */
  public EventPipeline(NudaqConfig config, EventFateSink sink) {
    this(config, DEFAULT_MERGE_CAPACITY, DEFAULT_LOOKAHEAD_CAPACITY, sink);
  }

  /** The full constructor (tests: an export pipeline with small capacities). */
  EventPipeline(NudaqConfig config, int mergeCapacity, int lookaheadCapacity, EventFateSink sink) {
    map = new ChannelMap(config);
    fates = sink == null ? FateTracker.NONE : new FateRecorder(map.detectorCount, sink);
    counters = new PipelineCounters(map.sourceCount, map.boardCount);
    timeline = new ReactorTimeline(4096);
    stateFromControl = config.gates().reactorStateSource() == GateConfig.ReactorStateSource.CONTROL;
    live = new LiveTimeAccounting(map, !stateFromControl, timeline);
    rawSpectra = new RawAdcSpectra(map, config.calibration());
    decisions = new DecisionStage(map, counters, timeline, config.analysis(), config.veto(), config.gates(), lookaheadCapacity,
        fates, rawSpectra);
    slowControl = new SlowControlGate(config.slowControl());
    decisions.useSlowControl(slowControl);
    merge = new TimeOrderedMerge(map, mergeCapacity, config.gates().mergeIdleTimeoutSeconds(), decisions);
    snapshots = new SnapshotAssembler(map, counters, live, decisions, merge);
    frameColumns = new FrameRecordColumns(merge, counters, this);
    tickPs = map.boardTickPs.clone();
    tickNsExact = new long[map.boardCount];
    for (int b = 0; b < map.boardCount; b++) {
      setTick(b, tickPs[b]);
    }
  }

  private void setTick(int b, long ps) {
    tickPs[b] = ps;
    tickNsExact[b] = ps % 1000 == 0 ? ps / 1000 : 0;
  }

  private long toNs(int b, long ticks) {
    long exact = tickNsExact[b];
    return exact != 0 ? ticks * exact : TickTime.ticksToNs(ticks, tickPs[b]);
  }

  // --- link-layer input (pipeline thread) -------------------------------------------------------

  /**
   * A board said hello.
   *
   * @param boardId board id
   * @param tickPs  length of one timestamp tick, ps (&gt; 0)
   */
  public void onHello(int boardId, long tickPs) {
    int b = map.boardIndex(boardId);
    if (b < 0) {
      unknownBoardFrames++;
      return;
    }
    if (tickPs <= 0) {
      throw new IllegalArgumentException("pipeline: hello with tickPs=" + tickPs + " from boardId=" + boardId);
    }
    setTick(b, tickPs);
    merge.onBoardFrame(b);
  }

  /**
   * One decoded event. Events of one channel must come in time order; channels may interleave.
   * Allocation-free.
   *
   * @param boardId            board id
   * @param channel            channel on the board
   * @param timestampTicks     trigger time, ticks since the board's run start
   * @param energyAdc          energy, ADC channels
   * @param flags              flag bits (PILEUP 0x1, SATURATION 0x2, LOST_TRIGGERS_BEFORE 0x4, FAKE 0x8,
   *                           TIMESTAMP_ROLLOVER 0x10, TIMESTAMP_RESET 0x20)
   * @param lostTriggersBefore triggers the board lost just before this one (with LOST_TRIGGERS_BEFORE)
   */
  public void onEvent(int boardId, int channel, long timestampTicks, int energyAdc, int flags, int lostTriggersBefore) {
    if (finished) {
      throw new IllegalStateException("pipeline: onEvent after finish(), boardId=" + boardId + " channel=" + channel);
    }
    int b = map.boardIndex(boardId);
    int s = b < 0 ? ChannelMap.NONE : map.source(b, channel);
    if (s < 0) {
      counters.unknownChannel++;
      fates.unknownChannel(boardId, channel, b < 0 ? -1 : toNs(b, timestampTicks), energyAdc, flags);
      return;
    }
    accept(s, toNs(b, timestampTicks), energyAdc, flags, lostTriggersBefore);
  }

  /** Counts a known channel's event and offers it to the merge, which marks its board seen. */
  private void accept(int s, long timeNs, int energyAdc, int flags, int lostTriggersBefore) {
    counters.received[s]++;
    if ((flags & RARE_FLAGS) != 0 && countRareFlags(s, flags, lostTriggersBefore)) {
      fates.beforeMerge(s, timeNs, energyAdc, flags, RejectReason.FAKE);
      return;
    }
    if (!merge.offer(s, timeNs, energyAdc, flags)) {
      rejectLate(s, timeNs, energyAdc, flags);
    }
  }

  /** {@link #accept} for an event of the board frame begun with {@link #beginBoardFrame} (board {@code b}, marked seen). */
  private void acceptInBoardFrame(int s, int b, long timeNs, int energyAdc, int flags, int lostTriggersBefore) {
    counters.received[s]++;
    if ((flags & RARE_FLAGS) != 0 && countRareFlags(s, flags, lostTriggersBefore)) {
      fates.beforeMerge(s, timeNs, energyAdc, flags, RejectReason.FAKE);
      return;
    }
    offerInBoardFrame(s, b, timeNs, energyAdc, flags);
  }

  /** Offers a counted event of the open board frame to the merge; too late to merge: rejected as LATE. */
  void offerInBoardFrame(int s, int b, long timeNs, int energyAdc, int flags) {
    if (!merge.offerInBoardFrame(s, b, timeNs, energyAdc, flags)) {
      rejectLate(s, timeNs, energyAdc, flags);
    }
  }

  private void rejectLate(int s, long timeNs, int energyAdc, int flags) {
    counters.rejected[RejectReason.LATE.ordinal()][s]++;
    fates.beforeMerge(s, timeNs, energyAdc, flags, RejectReason.LATE);
  }

  /**
   * The events up to {@link #endBatch} are one EVENTS frame of board {@code boardId}: pass them to
   * {@link #onBoardFrameEvent}, which looks the board up once per frame instead of once per event. Same
   * results as {@link #beginBatch()} with {@link #onEvent}, except that the frame itself counts as
   * the board's sign of life for the wall-clock idle rule (even if none of its events is offered).
   */
  public void beginBoardFrame(int boardId) {
    if (finished) {
      throw new IllegalStateException("pipeline: EVENTS frame after finish(), boardId=" + boardId);
    }
    int b = map.boardIndex(boardId);
    frameBoard = b;
    frameBoardId = boardId;
    frameSources = b < 0 ? NO_SOURCES : map.sourcesByChannel(b);
    frameTickNs = b < 0 ? 0 : tickNsExact[b];
    merge.beginBoardFrame(b);
  }

  /**
   * One event of the EVENTS frame begun with {@link #beginBoardFrame(int)}; arguments as {@link #onEvent}
   * without the board id. Allocation-free.
   */
  public void onBoardFrameEvent(int channel, long timestampTicks, int energyAdc, int flags, int lostTriggersBefore) {
    int[] sources = frameSources;
    int s = channel >= 0 && channel < sources.length ? sources[channel] : ChannelMap.NONE;
    if (s < 0) {
      counters.unknownChannel++;
      fates.unknownChannel(frameBoardId, channel, frameBoard < 0 ? -1 : toNs(frameBoard, timestampTicks), energyAdc, flags);
      return;
    }
    long exact = frameTickNs;
    long timeNs = exact != 0 ? timestampTicks * exact : TickTime.ticksToNs(timestampTicks, tickPs[frameBoard]);
    acceptInBoardFrame(s, frameBoard, timeNs, energyAdc, flags, lostTriggersBefore);
  }

  /**
   * The event records of the EVENTS frame begun with {@link #beginBoardFrame(int)}, as the wire has them
   * ({@code count} records of {@code FrameDescriptor.EVENT_RECORD_LENGTH} bytes from absolute index
   * {@code offset}, validated): the same as {@link #onBoardFrameEvent} for each record in turn, but decoded
   * straight into the merge's rings a run of one channel at a time ({@link FrameRecordColumns}).
   * Allocation-free. The buffer is read during the call only.
   *
   * @param offsetTicks added to every time stamp, ticks (0 for a board's own stream; a replay that
   *                    continues a stream later in data time)
   */
  public void onBoardFrameEvents(ByteBuffer buffer, int offset, int count, long offsetTicks) {
    frameColumns.offer(buffer, offset, count, offsetTicks, frameBoard, frameSources, frameTickNs);
  }

  /**
   * Events {@code [0, count)} of the EVENTS frame begun with {@link #beginBoardFrame(int)}, given as
   * columns (issue 19: the CoMPASS import): the same as {@code onBoardFrameEvent(channel[i],
   * timestampTicks[i], (int) payload[i], (int) (payload[i] >>> 32), 0)} for each in turn, but offered to
   * the merge's rings a run of one channel at a time ({@link FrameRecordColumns}). Allocation-free after
   * the first call of more than {@link #COLUMN_EVENTS} events; the arrays are read during the call only.
   *
   * @param payload each event's energy (ADC channels, u16) in the low and flags in the high 32 bits: the
   *                merge's own form, taken as it is
   */
  public void onBoardFrameEventColumns(int[] channel, long[] timestampTicks, long[] payload, int count) {
    frameColumns.offer(channel, timestampTicks, payload, count, frameBoard, frameSources, frameTickNs);
  }

  /**
   * The events up to {@link #endBatch} (each passed to {@link #onEvent}) are one batch, e.g. one EVENTS
   * frame of one board (aggregates of single channels in time order): the merge then drains once per
   * batch instead of once per event. The results are identical with or without these calls.
   */
  public void beginBatch() {
    merge.beginBatch();
  }

  /** End of a batch begun with {@link #beginBatch} or {@link #beginBoardFrame}. */
  public void endBatch() {
    merge.endBatch();
  }

  /** Counts lost triggers, timestamp flags and fake events; true if the event is fake (rejected). */
  private boolean countRareFlags(int s, int flags, int lostTriggersBefore) {
    if ((flags & EventFlags.LOST_TRIGGERS_BEFORE) != 0) {
      counters.lostTriggersFlagged[s] += lostTriggersBefore;
    }
    countTimestampFlags(s, flags);
    if ((flags & EventFlags.FAKE) != 0) {
      counters.rejected[RejectReason.FAKE.ordinal()][s]++;
      return true;
    }
    return false;
  }

  private void countTimestampFlags(int s, int flags) {
    if ((flags & EventFlags.TIMESTAMP_ROLLOVER) != 0) {
      counters.timestampRollovers[s]++;
    }
    if ((flags & EventFlags.TIMESTAMP_RESET) != 0) {
      counters.timestampResets[s]++;
    }
  }

  /**
   * Start of a status frame. The board has sent every event before {@code boardTimeTicks}.
   *
   * @param boardId         board id
   * @param boardTimeTicks  board time of the frame, ticks since run start
   * @param realTimeTicks   cumulative real time since run start, ticks
   * @param reactorState    0 off, 1 on, 0xFF unknown: the state from boardTime until the next status
   */
  public void onStatusBegin(int boardId, long boardTimeTicks, long realTimeTicks, int reactorState) {
    int stateIndex = ReactorState.indexOfWireCode(reactorState);
    onStatusBegin(boardId, boardTimeTicks, realTimeTicks, reactorState, ReactorTimeline.defaultPower(stateIndex));
  }

  /**
   * Start of a status frame whose source also knows the reactor's thermal power.
   *
   * @param powerFraction thermal power as a fraction of nominal (≥ 0) from boardTime until the next status
   * @see #onStatusBegin(int, long, long, int)
   */
  public void onStatusBegin(int boardId, long boardTimeTicks, long realTimeTicks, int reactorState, double powerFraction) {
    int b = map.boardIndex(boardId);
    if (b < 0) {
      unknownBoardFrames++;
      return;
    }
    live.begin(b, toNs(b, boardTimeTicks), toNs(b, realTimeTicks), ReactorState.indexOfWireCode(reactorState), powerFraction);
  }

  /**
   * One channel's cumulative counters in the current status frame (between begin and end).
   *
   * @param liveTicks         cumulative live time, ticks (kept for reference; live time is real − dead)
   * @param deadTicks         cumulative dead time, ticks
   * @param acceptedTriggers  cumulative triggers the board accepted
   * @param lostTriggers      cumulative triggers the board lost
   */
  public void onStatusChannel(int boardId, int channel, long liveTicks, long deadTicks, long acceptedTriggers, long lostTriggers) {
    int b = map.boardIndex(boardId);
    if (b < 0 || !live.inStatus(b)) {
      unknownBoardFrames++;
      return;
    }
    int s = map.source(b, channel);
    if (s < 0) {
      unknownStatusChannels++;
      return;
    }
    live.channel(s, toNs(b, deadTicks));
    counters.boardAcceptedTriggers[s] = acceptedTriggers;
    counters.lostTriggersReported[s] = lostTriggers;
  }

  /** End of a status frame: books live time, the reactor state, and raises the board's watermark. */
  public void onStatusEnd(int boardId) {
    int b = map.boardIndex(boardId);
    if (b < 0 || !live.inStatus(b)) {
      unknownBoardFrames++;
      return;
    }
    long boardNs = live.statusBoardNs();
    int stateIndex = live.statusState();
    double power = live.statusPower();
    live.end(b);
    if (!stateFromControl) {
      if (timeline.append(boardNs, stateIndex, power)) {
        decisions.onTimelineAppended();
        fates.reactorState(boardNs, stateIndex, power);
      }
    }
    merge.onBoardStatus(b, boardNs);
    rawSpectra.advance(decisions.clockNs());
  }

  /** Frames lost on a board's link (sequence gaps); for accounting only. */
  public void onFramesLost(int boardId, long frames) {
    int b = map.boardIndex(boardId);
    if (b < 0) {
      unknownBoardFrames++;
      return;
    }
    counters.lostFrames[b] += frames;
    merge.onBoardFrame(b);
  }

  /**
   * The reactor state set through the control API; used only with gates.reactorStateSource = control.
   *
   * @param on              true for ON
   * @param effectiveTimeNs data time from which it holds, ns (if already passed, it applies from now)
   * @return false if ignored (state source is the digitizer, or no change)
   */
  public boolean setReactorState(boolean on, long effectiveTimeNs) {
    ReactorState state = on ? ReactorState.ON : ReactorState.OFF;
    return setReactorState(state, ReactorTimeline.defaultPower(state.ordinal()), effectiveTimeNs);
  }

  /**
   * The reactor state and thermal power set through the control API or a reactor timeline; used only
   * with gates.reactorStateSource = control.
   *
   * @param state           ON, OFF or UNKNOWN (events while UNKNOWN are gated REACTOR_UNKNOWN)
   * @param powerFraction   thermal power as a fraction of nominal, ≥ 0 and finite
   * @param effectiveTimeNs data time from which it holds, ns (if already passed, it applies from now)
   * @return false if ignored (state source is the digitizer, or no change)
   */
  public boolean setReactorState(ReactorState state, double powerFraction, long effectiveTimeNs) {
    if (!(powerFraction >= 0) || Double.isInfinite(powerFraction)) {
      throw new IllegalArgumentException("pipeline: reactor powerFraction=" + powerFraction + " must be finite and >= 0");
    }
    merge.endBatch();
    if (!stateFromControl) {
      ignoredControlCalls++;
      return false;
    }
    boolean appended = timeline.append(effectiveTimeNs, state.ordinal(), powerFraction);
    if (appended) {
      decisions.onTimelineAppended();
      fates.reactorState(effectiveTimeNs, state.ordinal(), powerFraction); // ReactorState ordinals are the stage's state codes
    }
    return appended;
  }

  /**
   * A slow-control reading (issue 18) applying from data time {@code effectiveTimeNs} (if already passed,
   * from now): opens or closes the exclusions of the rules on {@code sensor}. Pipeline thread.
   *
   * @return true if it opened or closed a rule's exclusion
   */
  public boolean slowControlReading(String sensor, double value, long effectiveTimeNs) {
    merge.endBatch();
    boolean changed = slowControl.reading(sensor, value, effectiveTimeNs);
    if (changed) {
      decisions.onTimelineAppended(); // the next clock advance looks at the new boundary
    }
    return changed;
  }

  /** The slow-control rules' state; its excluded time per rule is readable from any thread. */
  public SlowControlGate slowControl() {
    return slowControl;
  }

  /**
   * Wall-clock idleness: call periodically (e.g. every 100 ms); a board that sent nothing for
   * gates.mergeIdleTimeoutSeconds stops holding back the merge.
   */
  public void advanceIdle(long wallClockNanos) {
    merge.advanceIdle(wallClockNanos);
  }

  /** End of run or replay: emits and decides everything; pending becomes zero. No events after it. */
  public void finish() {
    merge.flushAll();
    decisions.finish();
    finished = true;
  }

  // --- read API (pipeline thread) ----------------------------------------------------------------

  /**
   * A configured channel as the pipeline numbers it ({@link EventFateSink} passes the index).
   *
   * @param index         source index, 0..n-1
   * @param boardId       board id
   * @param channel       channel on the board
   * @param hpge          whether it reads an HPGe detector (else an NaI veto segment)
   * @param detector      the detector (HPGe) or veto segment (NaI) name of its configuration
   * @param detectorIndex the HPGe detector's index in the configuration, or the NaI segment's index among NaI channels
   * @param config        its configuration, with the calibration the pipeline applies
   */
  public record Source(int index, int boardId, int channel, boolean hpge, String detector, int detectorIndex,
      org.nudaq.monitor.config.ChannelConfig config) {}

  /** The configured channels by source index; any thread (immutable). */
  public List<Source> sources() {
    return sources(map);
  }

  /** The channels a pipeline of {@code config} numbers as its sources (the same as its {@link #sources()}). */
  public static List<Source> sources(NudaqConfig config) {
    return sources(new ChannelMap(config));
  }

  private static List<Source> sources(ChannelMap map) {
    List<Source> out = new ArrayList<>();
    for (int s = 0; s < map.sourceCount; s++) {
      out.add(new Source(s, map.boardIds[map.sourceBoard[s]], map.sourceChannel[s], map.sourceHpge[s],
          map.sourceConfig[s].detector(), map.sourceDetector[s], map.sourceConfig[s]));
    }
    return out;
  }

  /** Events received, all channels (including unknown ones). */
  public long received() {
    return PipelineCounters.sum(counters.received) + counters.unknownChannel;
  }

  /** Events accepted, all channels. */
  public long accepted() {
    return PipelineCounters.sum(counters.accepted);
  }

  /** HPGe events vetoed by the NaI, all channels. */
  public long vetoed() {
    return PipelineCounters.sum(counters.vetoed);
  }

  /** Events rejected for a reason, all channels (UNKNOWN_CHANNEL included). */
  public long rejected(RejectReason reason) {
    long n = PipelineCounters.sum(counters.rejected[reason.ordinal()]);
    return reason == RejectReason.UNKNOWN_CHANNEL ? n + counters.unknownChannel : n;
  }

  /** Events gated for a reason, all channels. */
  public long gated(GateReason reason) {
    return PipelineCounters.sum(counters.gated[reason.ordinal()]);
  }

  /** Events buffered and not yet decided, counted from the buffers themselves. */
  public long pending() {
    return merge.buffered() + decisions.pending();
  }

  /** Events received on a configured channel (0 for an unknown one). */
  public long received(int boardId, int channel) {
    int s = sourceOrNone(boardId, channel);
    return s < 0 ? 0 : counters.received[s];
  }

  /** Events accepted on a channel. */
  public long accepted(int boardId, int channel) {
    int s = sourceOrNone(boardId, channel);
    return s < 0 ? 0 : counters.accepted[s];
  }

  /** Events vetoed on a channel. */
  public long vetoed(int boardId, int channel) {
    int s = sourceOrNone(boardId, channel);
    return s < 0 ? 0 : counters.vetoed[s];
  }

  /** Events rejected on a channel for a reason. */
  public long rejected(int boardId, int channel, RejectReason reason) {
    int s = sourceOrNone(boardId, channel);
    return s < 0 ? 0 : counters.rejected[reason.ordinal()][s];
  }

  /** Events gated on a channel for a reason. */
  public long gated(int boardId, int channel, GateReason reason) {
    int s = sourceOrNone(boardId, channel);
    return s < 0 ? 0 : counters.gated[reason.ordinal()][s];
  }

  /** Events of a channel buffered and not yet decided. */
  public long pending(int boardId, int channel) {
    int s = sourceOrNone(boardId, channel);
    return s < 0 ? 0 : merge.buffered(s) + decisions.pending(s);
  }

  /** Sum of lostTriggersBefore of a channel's events flagged LOST_TRIGGERS_BEFORE. */
  public long lostTriggersFlagged(int boardId, int channel) {
    int s = sourceOrNone(boardId, channel);
    return s < 0 ? 0 : counters.lostTriggersFlagged[s];
  }

  /** A channel's cumulative lost-trigger counter from the latest status frame. */
  public long lostTriggersReported(int boardId, int channel) {
    int s = sourceOrNone(boardId, channel);
    return s < 0 ? 0 : counters.lostTriggersReported[s];
  }

  /** Frames reported lost on a board's link. */
  public long lostFrames(int boardId) {
    int b = map.boardIndex(boardId);
    return b < 0 ? 0 : counters.lostFrames[b];
  }

  /** Events emitted early because a merge ring was full. */
  public long forcedEmits() {
    return merge.forcedEmits();
  }

  /** Frames from boards (or status channels) not in the configuration, ignored. */
  public long unknownBoardFrames() {
    return unknownBoardFrames + unknownStatusChannels;
  }

  /** NaI hits above the muon threshold. */
  public long muons() {
    return decisions.muons();
  }

  /** Data-quality slices of a detector (configuration order) judged bad. */
  public long badSlices(int detector) {
    return decisions.badSlices(detector);
  }

  /** The reactor state at the pipeline's data-time clock. */
  public ReactorState reactorState() {
    return ReactorState.of(decisions.state());
  }

  /** The pipeline's data-time clock, ns (Long.MIN_VALUE before any data). */
  public long dataTimeNs() {
    return decisions.clockNs();
  }

  /** Live time of a detector in a reactor state before any gate (board real − dead time), s. */
  public double liveTimeBeforeGatesSeconds(int detector, ReactorState state) {
    return snapshots.liveBeforeNs(detector, state.ordinal()) * 1e-9;
  }

  /** Live time of a detector in a reactor state after muon, transition and data-quality gates, s. */
  public double liveTimeSeconds(int detector, ReactorState state) {
    return snapshots.liveAfterNs(detector, state.ordinal()) * 1e-9;
  }

  /**
   * Reactor-ON live time of a detector weighted by the thermal power as a fraction of nominal, before
   * gates, s: the exposure the expected reactor signal scales with (equal to the ON live time at
   * nominal power).
   */
  public double powerWeightedLiveTimeOnSeconds(int detector) {
    return snapshots.livePowerBeforeNs(detector, ReactorState.ON_INDEX) * 1e-9;
  }

  /**
   * Whether received == accepted + vetoed + rejected + gated + pending holds for every channel and
   * in total, with pending counted from the buffers (not by difference).
   */
  public boolean accountingBalances() {
    long total = counters.unknownChannel;
    for (int s = 0; s < map.sourceCount; s++) {
      long pend = merge.buffered(s) + decisions.pending(s);
      if (counters.received[s] != counters.decided(s) + pend) {
        return false;
      }
      total += counters.decided(s) + pend;
    }
    return received() == total && total == accepted() + vetoed() + rejectedTotal() + gatedTotal() + pending();
  }

  private long rejectedTotal() {
    long n = 0;
    for (RejectReason r : RejectReason.values()) {
      n += rejected(r);
    }
    return n;
  }

  private long gatedTotal() {
    long n = 0;
    for (GateReason g : GateReason.values()) {
      n += gated(g);
    }
    return n;
  }

  private int sourceOrNone(int boardId, int channel) {
    int b = map.boardIndex(boardId);
    return b < 0 ? ChannelMap.NONE : map.source(b, channel);
  }

  // --- online calibration (issue 17) -------------------------------------------------------------

  /**
   * Where each HPGe channel's raw spectrum goes once per {@code calibration.intervalHours} of data time
   * (on this thread, at a status frame; see {@link CalibrationIntervals}). Nothing without it.
   */
  public void onCalibrationIntervals(CalibrationIntervals listener) {
    rawSpectra.listener((from, to, counts) -> {
      for (int s = 0; s < map.sourceCount; s++) {
        if (counts[s].length > 0) {
          listener.onInterval(map.boardIds[map.sourceBoard[s]], map.sourceChannel[s], from, to, counts[s]);
        }
      }
    });
  }

  /** Receives one HPGe channel's raw spectrum of a calibration interval (pipeline thread). */
  public interface CalibrationIntervals {
    /**
     * @param counts counts per ADC value over [fromNs, toNs) of data time (the receiver's to keep)
     */
    void onInterval(int boardId, int channel, long fromNs, long toNs, long[] counts);
  }

  /**
   * From the next merged event on, a channel's energies are {@code Σ c_k · adc^k} (an online calibration,
   * journaled before this call). Between events; rebuilds the channel's ADC table.
   *
   * @return false if the channel is not configured (ignored)
   */
  public boolean applyCalibration(int boardId, int channel, double[] coefficients) {
    int s = sourceOrNone(boardId, channel);
    if (s < 0 || coefficients.length < 1) {
      ignoredControlCalls++;
      return false;
    }
    decisions.recalibrate(s, coefficients);
    return true;
  }

  /** A channel's energy-calibration coefficients in force (keV = Σ c_k · adc^k), or null if not configured. */
  public double[] calibrationCoefficients(int boardId, int channel) {
    int s = sourceOrNone(boardId, channel);
    return s < 0 ? null : decisions.coefficients(s);
  }

  // --- publication -------------------------------------------------------------------------------

  /**
   * Takes an immutable snapshot of everything ({@link SnapshotAssembler}) and makes it visible to
   * {@link #latest()}. Pipeline thread only; allocates (spectra copies), so call it at the publication
   * rate, not per event.
   *
   * @param takenAt the time to stamp on it (pipeline/data time during replays)
   */
  public PipelineSnapshot publish(Instant takenAt) {
    merge.endBatch();
    Map<RejectReason, Long> rej = new EnumMap<>(RejectReason.class);
    for (RejectReason r : RejectReason.values()) {
      rej.put(r, rejected(r));
    }
    Map<GateReason, Long> gat = new EnumMap<>(GateReason.class);
    for (GateReason g : GateReason.values()) {
      gat.put(g, gated(g));
    }
    PipelineSnapshot.Totals totals = new PipelineSnapshot.Totals(received(), accepted(), vetoed(), rej, gat, pending(),
        PipelineCounters.sum(counters.lostFrames), merge.forcedEmits(), decisions.muons(), live.statusFrames());
    PipelineSnapshot snapshot = snapshots.assemble(takenAt, totals, reactorState());
    slowControl.publish(decisions.clockNs());
    latest = snapshot;
    return snapshot;
  }

  /** The last published snapshot, or null before the first; any thread. */
  public PipelineSnapshot latest() {
    return latest;
  }

  // --- checkpoints (pipeline thread) -----------------------------------------------------------

  private static final int STATE_TAG = StateWriter.tag("PIPE");
  /**
   * Layout of {@link #saveState}; a restore refuses any other. Raise it with every change of layout
   * (3: the reactor timeline and the live time carry the thermal power; 4: the slow-control rules;
   * 5: the calibration coefficients in force per source, issue 17, after the slow-control state; 6: then the
   * online calibration's interval in progress, {@code RawAdcSpectra}).
   */
  public static final int STATE_VERSION = 6;

  /**
   * Writes the complete state into {@code out}: counters, reactor timeline, live time, the decision
   * stage (look-ahead ring, open data-quality slices and their held spectra, gated time, every
   * spectrum), the merge (buffered events, watermarks, wall-clock idleness), tick settings and the
   * unknown/ignored counters. A pipeline built from the same configuration and given this state by
   * {@link #restoreState} then behaves exactly as this one: the same further inputs give bit-identical
   * spectra, live times and accounting. Changes nothing a caller can see (nothing is drained or
   * published; lazily booked live time is booked first), allocates nothing once {@code out} is large
   * enough; pipeline thread.
   */
  public void saveState(StateWriter out) {
    out.section(STATE_TAG);
    out.putInt(STATE_VERSION);
    out.putBoolean(stateFromControl);
    out.putLongs(tickPs);
    out.putSumLong(unknownBoardFrames);
    out.putSumLong(unknownStatusChannels);
    out.putSumLong(ignoredControlCalls);
    out.putBoolean(finished);
    counters.saveState(out);
    timeline.saveState(out);
    live.saveState(out);
    decisions.saveState(out);
    merge.saveState(out);
    slowControl.saveState(out);
    for (int s = 0; s < map.sourceCount; s++) {
      double[] c = decisions.coefficients(s);
      out.putInt(c.length);
      out.putDoubles(c);
    }
    rawSpectra.saveState(out);
  }

  /**
   * Replaces this pipeline's state with one written by {@link #saveState} (a pipeline of the same
   * configuration and capacities). On a {@link StateFormatException} this pipeline is left partly
   * overwritten: restore into a fresh pipeline first when the state is not known to be good.
   * Pipeline thread (or the thread that owns it before the pipeline thread starts).
   */
  public void restoreState(StateReader in) {
    if (fates != FateTracker.NONE) {
      throw new IllegalStateException("pipeline: a pipeline recording event fates (an export) cannot restore a state");
    }
    in.section(STATE_TAG, "pipeline");
    in.expectInt("pipeline state version", STATE_VERSION);
    int at = in.offset();
    if (in.getBoolean() != stateFromControl) {
      throw new StateFormatException("gates.reactorStateSource differs from the checkpoint's", at);
    }
    in.getLongs("pipeline.tickPs", tickPs);
    for (int b = 0; b < tickPs.length; b++) {
      if (tickPs[b] <= 0) {
        throw new StateFormatException("pipeline.tickPs[" + b + "]=" + tickPs[b] + " must be > 0", at);
      }
      setTick(b, tickPs[b]);
    }
    unknownBoardFrames = in.getLong();
    unknownStatusChannels = in.getLong();
    ignoredControlCalls = in.getLong();
    finished = in.getBoolean();
    counters.restoreState(in);
    timeline.restoreState(in);
    live.restoreState(in);
    decisions.restoreState(in);
    merge.restoreState(in);
    slowControl.restoreState(in);
    for (int s = 0; s < map.sourceCount; s++) {
      double[] c = new double[in.getCount("pipeline.calibration[" + s + "] terms", 16)];
      in.getDoubles("pipeline.calibration[" + s + "]", c);
      decisions.recalibrate(s, c);
    }
    rawSpectra.restoreState(in);
  }

  /** Events buffered in the time-ordered merge (a finer view of {@link #pending()}, for tests and logs). */
  public long pendingInMerge() {
    return merge.buffered();
  }

  /** HPGe events in the look-ahead ring, awaiting the end of their veto window. */
  public long pendingInLookahead() {
    return decisions.lookaheadSize();
  }

  /** Candidate HPGe events held in data-quality slices not judged yet. */
  public long pendingInSlices() {
    return decisions.heldInSlices();
  }

  /** Whether a status frame is being booked (between its begin and end calls); tests. */
  boolean statusInProgress() {
    return live.statusInProgress();
  }

  /** Whether a batch is open (between {@link #beginBatch}/{@link #beginBoardFrame} and {@link #endBatch}); tests. */
  boolean batchInProgress() {
    return merge.batchInProgress();
  }

  /** Times a board was declared idle by the merge's wall-clock rule; tests. */
  long idleExclusions() {
    return merge.idleExclusions();
  }

  /** HPGe events decided early because the look-ahead ring was full; tests. */
  long lookaheadOverflows() {
    return decisions.lookaheadOverflows();
  }

  /** Events the decision stage took two sources at a time ({@code DecisionStage.onMergedPair}); tests. */
  long pairedEvents() {
    return decisions.pairedEvents();
  }

  // --- segmented replay (issue 19; SegmentJoin) ----------------------------------------------------

  /** From now on, logs what {@link SegmentJoin} cannot get from end − start: power-weighted live-time terms, verdicts. */
  void logSegment(SegmentLog powerTerms, SegmentLog verdicts) {
    live.logPowerTerms(powerTerms);
    decisions.logVerdicts(verdicts);
  }

  /** {@link QualitySlices#joinOpenSlices}: null, or why the segment must be replayed again. */
  String joinOpenSlices(EventPipeline truth, EventPipeline start, SegmentLog verdicts) {
    return decisions.joinOpenSlices(truth.decisions, start.decisions, verdicts);
  }

  /**
   * Writes what the further input can still see of the state parts {@link #saveState} marks as positions
   * or history ({@link StateLayout.Kind#POSITION}): the reactor-state changes not applied yet (and, with
   * the state from control, those the live time of an open status interval still splits over, with the
   * state and power in force before them), and each board's idle-rule floor. Not a checkpoint: for
   * comparing two pipelines only.
   */
  void saveAhead(StateWriter out) {
    long from = decisions.timelineCursor();
    long before = from - 1;
    if (stateFromControl) {
      long earliest = decisions.clockNs();
      for (int b = 0; b < map.boardCount; b++) {
        earliest = Math.min(earliest, live.prevBoardNs(b));
      }
      before = Math.min(before, timeline.seqAtTime(earliest));
      from = before + 1;
      boolean known = before >= 0 && before >= timeline.oldest();
      out.putInt(known ? timeline.stateAt(before) : ReactorState.UNKNOWN_INDEX);
      out.putDouble(known ? timeline.powerAt(before) : 0);
    }
    out.putLong(timeline.count() - from);
    out.putBoolean(from < timeline.oldest()); // part of what is ahead is lost: compare as different
    for (long q = Math.max(from, timeline.oldest()); q < timeline.count(); q++) {
      out.putLong(timeline.timeAt(q));
      out.putInt(timeline.stateAt(q));
      out.putDouble(timeline.powerAt(q));
    }
    for (int b = 0; b < map.boardCount; b++) {
      out.putLong(merge.idleFloorNs(b));
    }
    // The newest change's time only refuses reports older than it. From status frames (board times do not
    // go back), none will come from before the boards' last status: up to there it cannot tell.
    long floor = Long.MAX_VALUE;
    for (int b = 0; b < map.boardCount; b++) {
      floor = Math.min(floor, live.prevBoardNs(b));
    }
    out.putLong(stateFromControl ? timeline.lastTimeNs() : Math.max(timeline.lastTimeNs(), floor));
  }
}
