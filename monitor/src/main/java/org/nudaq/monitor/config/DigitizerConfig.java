package org.nudaq.monitor.config;

import java.util.List;

/**
 * The digitizer boards the daemon reads and the simulator imitates.
 *
 * @param boards             the boards, each with a unique id and port
 * @param reconnectInitialMs first delay before reconnecting a lost link, ms (doubles up to the maximum)
 * @param reconnectMaxMs     longest delay between reconnection attempts, ms
 * @param connectTimeoutMs   give up one connection attempt after this long, ms
 * @param frameQueueMaxBytes most bytes of frames held between the board links and the pipeline thread
 *                           (the frame queue): its heap for frames is at most this plus one frame of at most 1 MiB, bytes
 * @param helloTimeoutMs     a connection whose board has sent no HELLO this long after connecting is
 *                           closed and made again (with backoff), ms
 * @param sequenceJumpMaxFrames a forward jump of a board's sequence number by more than this many frames
 *                           counts as a sequence reset (like a board restart), not as lost frames
 */
public record DigitizerConfig(List<BoardConfig> boards, long reconnectInitialMs, long reconnectMaxMs, long connectTimeoutMs,
    long frameQueueMaxBytes, long helloTimeoutMs, long sequenceJumpMaxFrames) {

  /** Default frame queue bound, bytes (64 MiB). */
  public static final long DEFAULT_FRAME_QUEUE_MAX_BYTES = 64L << 20;
  /** Default HELLO timeout, ms. */
  public static final long DEFAULT_HELLO_TIMEOUT_MS = 10_000;
  /** Default largest sequence jump counted as lost frames (2^32). */
  public static final long DEFAULT_SEQUENCE_JUMP_MAX_FRAMES = 1L << 32;
  /** Largest sequence jump window allowed (2^48): counters summing such jumps cannot overflow in practice. */
  public static final long MAX_SEQUENCE_JUMP_MAX_FRAMES = 1L << 48;

  public DigitizerConfig {
    boards = List.copyOf(boards);
  }

  /** The boards and reconnection settings with the defaults for the frame queue, HELLO timeout and sequence jumps. */
  public DigitizerConfig(List<BoardConfig> boards, long reconnectInitialMs, long reconnectMaxMs, long connectTimeoutMs) {
    this(boards, reconnectInitialMs, reconnectMaxMs, connectTimeoutMs, DEFAULT_FRAME_QUEUE_MAX_BYTES, DEFAULT_HELLO_TIMEOUT_MS,
        DEFAULT_SEQUENCE_JUMP_MAX_FRAMES);
  }

  /** A copy with other link limits (tests). */
  public DigitizerConfig withLinkLimits(long queueMaxBytes, long helloMs, long jumpMaxFrames) {
    return new DigitizerConfig(boards, reconnectInitialMs, reconnectMaxMs, connectTimeoutMs, queueMaxBytes, helloMs, jumpMaxFrames);
  }

  /** A single board on 127.0.0.1:9401 with one HPGe channel per detector and one NaI channel. */
  static DigitizerConfig defaultFor(List<DetectorConfig> detectors) {
    java.util.List<ChannelConfig> channels = new java.util.ArrayList<>();
    int ch = 0;
    for (DetectorConfig d : detectors) {
      // 16-bit ADC at 5 eV per channel covers 0..327 keV, beyond the spectra's 100 keV.
      channels.add(new ChannelConfig(ch++, ChannelConfig.Role.HPGE, d.name(), new double[] {0.0, 0.005}));
    }
    // NaI at 0.2 keV per channel covers 0..13 MeV: muons saturate, as in the real shield.
    channels.add(new ChannelConfig(ch, ChannelConfig.Role.NAI, "nai", new double[] {0.0, 0.2}));
    return new DigitizerConfig(List.of(new BoardConfig(0, "127.0.0.1", 9401, 4.0, 16, channels)), 100, 10_000, 2_000);
  }

  static DigitizerConfig bind(ConfigNode n, List<DetectorConfig> detectors) {
    long initial = (long) n.number("reconnectInitialMs", 100);
    n.requireRange("reconnectInitialMs", initial, 1, 600_000);
    long max = (long) n.number("reconnectMaxMs", 10_000);
    if (max < initial) {
      n.error("reconnectMaxMs", "must be >= reconnectInitialMs (" + initial + "), got " + max);
    }
    long timeout = (long) n.number("connectTimeoutMs", 2_000);
    n.requireRange("connectTimeoutMs", timeout, 10, 600_000);
    long queueBytes = (long) n.number("frameQueueMaxBytes", DEFAULT_FRAME_QUEUE_MAX_BYTES);
    n.requireRange("frameQueueMaxBytes", queueBytes, 2L << 20, 1L << 40);
    long hello = (long) n.number("helloTimeoutMs", DEFAULT_HELLO_TIMEOUT_MS);
    n.requireRange("helloTimeoutMs", hello, 10, 3_600_000);
    long jump = (long) n.number("sequenceJumpMaxFrames", DEFAULT_SEQUENCE_JUMP_MAX_FRAMES);
    n.requireRange("sequenceJumpMaxFrames", jump, 1, MAX_SEQUENCE_JUMP_MAX_FRAMES);
    if (!n.has("boards")) {
      n.list("boards", BoardConfig::bind);
      DigitizerConfig d = defaultFor(detectors);
      return new DigitizerConfig(d.boards(), initial, max, timeout, queueBytes, hello, jump);
    }
    List<BoardConfig> boards = n.list("boards", BoardConfig::bind);
    if (boards.isEmpty()) {
      n.error("boards", "needs at least one board");
    }
    java.util.Set<Integer> ids = new java.util.HashSet<>();
    java.util.Set<String> endpoints = new java.util.HashSet<>();
    java.util.Map<String, Integer> hpgeChannels = new java.util.HashMap<>();
    for (int i = 0; i < boards.size(); i++) {
      BoardConfig b = boards.get(i);
      if (!ids.add(b.id())) {
        n.error("boards[" + i + "].id", "duplicate board id " + b.id());
      }
      if (!endpoints.add(b.host() + ":" + b.port())) {
        n.error("boards[" + i + "].port", "duplicate endpoint " + b.host() + ":" + b.port());
      }
      for (int j = 0; j < b.channels().size(); j++) {
        ChannelConfig c = b.channels().get(j);
        if (c.role() == ChannelConfig.Role.HPGE) {
          boolean known = detectors.stream().anyMatch(d -> d.name().equals(c.detector()));
          if (!known) {
            n.error("boards[" + i + "].channels[" + j + "].detector", "names no detector in detectors: '" + c.detector() + "'");
          }
          hpgeChannels.merge(c.detector(), 1, Integer::sum);
        }
      }
    }
    for (DetectorConfig d : detectors) {
      int count = hpgeChannels.getOrDefault(d.name(), 0);
      if (count != 1 && !boards.isEmpty()) {
        n.error("boards", "detector '" + d.name() + "' must be read by exactly one hpge channel, found " + count);
      }
    }
    return new DigitizerConfig(boards, initial, max, timeout, queueBytes, hello, jump);
  }
}
