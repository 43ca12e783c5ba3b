package org.nudaq.monitor.spectrum;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Writes and reads {@link SpectrumSnapshot}s in the {@code nudaq-spectrum} JSON format, version 1,
 * specified in {@code docs/spectrum-format.md}.
 *
 * <p>Doubles are written in their shortest round-trip form, so live time, mass and binning read
 * back bit-exact. Reading validates every field and reports the first problem as a
 * {@link SpectrumFormatException} naming the source and field; unknown fields are ignored.
 * {@link #write(SpectrumSnapshot, Path)} replaces the file atomically, so a crash never leaves a
 * half-written snapshot.
 *
 * <p>Thread-safe (the JSON factory and the reading {@link ObjectMapper} are configured once).
 */
public final class SpectrumJson {

  /** Value of the {@code format} field. */
  public static final String FORMAT = "nudaq-spectrum";

  /** The version this class writes and the only one it reads. */
  public static final int FORMAT_VERSION = 1;

  /** Relative tolerance of the redundant {@code exposureKgDays} field against massKg·liveTime. */
  private static final double EXPOSURE_RELATIVE_TOLERANCE = 1e-6;

  /** Writing needs the streaming generator only; the caller owns the streams it passes in. */
  private final JsonFactory writing = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

  public SpectrumJson() {}

  /**
   * The reading mapper, made on first use: a replay only writes spectra, and an ObjectMapper's set-up
   * is start-up time it need not pay (issue 19).
   */
  private static final class Reading {
    static final ObjectMapper MAPPER = new ObjectMapper();

    static {
      // A duplicated key or trailing garbage means the file was edited or corrupted: reject it.
      MAPPER.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      MAPPER.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
      // The caller owns the streams it passes in.
      MAPPER.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
    }

    private Reading() {}
  }

  // ---------------------------------------------------------------- writing

  /** Writes the snapshot as pretty-printed UTF-8 JSON; the stream is flushed, not closed. */
  public void write(SpectrumSnapshot snapshot, OutputStream out) {
    try (JsonGenerator g = writing.createGenerator(out)) {
      g.useDefaultPrettyPrinter();
      writeSnapshot(snapshot, g);
      g.writeRaw('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write spectrum name=" + snapshot.labels().name() + ": " + e.getMessage(), e);
    }
  }

  /** The snapshot as a JSON string. */
  public String toJson(SpectrumSnapshot snapshot) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    write(snapshot, bytes);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** Whether a spectrum file is forced to disk before it replaces the old one. */
  public enum Durability {
    /** Forced to disk (fsync) before the rename: the file survives a power cut once written (the daemon's spectra). */
    SYNCED,
    /**
     * Not forced: the rename still replaces the file atomically for readers, but a power cut soon after may
     * lose it. For output that can be made again from its input (a replay's spectra, from the journal or the
     * CoMPASS files), where an fsync per file costs 0.3–5 ms and buys nothing.
     */
    UNSYNCED
  }

  /**
   * Writes the snapshot to {@code file}, replacing it atomically: the JSON goes to a temporary file
   * in the same directory, is forced to disk, then moved over {@code file}.
   */
  public void write(SpectrumSnapshot snapshot, Path file) {
    write(snapshot, file, Durability.SYNCED);
  }

  /**
   * Writes the snapshot to {@code file}, replacing it atomically: the JSON goes to a temporary file
   * in the same directory, is forced to disk if {@code durability} is {@link Durability#SYNCED}, then
   * moved over {@code file}.
   */
  public void write(SpectrumSnapshot snapshot, Path file, Durability durability) {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        write(snapshot, Channels.newOutputStream(channel));
        if (durability == Durability.SYNCED) {
          channel.force(true);
        }
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the spectrum file " + file + ": " + e.getMessage(), e);
    }
  }

  private static void writeSnapshot(SpectrumSnapshot s, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("format", FORMAT);
    g.writeNumberField("formatVersion", FORMAT_VERSION);
    g.writeStringField("name", s.labels().name());
    g.writeStringField("detector", s.labels().detector());
    g.writeStringField("reactorState", s.labels().reactorState());
    g.writeStringField("stage", s.labels().stage());
    g.writeStringField("takenAt", s.takenAt().toString());
    g.writeObjectFieldStart("binning");
    g.writeNumberField("lowKeV", s.binning().lowKeV());
    g.writeNumberField("binWidthKeV", s.binning().binWidthKeV());
    g.writeNumberField("binCount", s.binning().binCount());
    g.writeEndObject();
    g.writeNumberField("massKg", s.massKg());
    g.writeNumberField("liveTimeSeconds", s.liveTimeSeconds());
    g.writeNumberField("exposureKgDays", s.exposureKgDays());
    g.writeNumberField("underflow", s.underflowCount());
    g.writeNumberField("overflow", s.overflowCount());
    g.writeNumberField("invalid", s.invalidCount());
    g.writeArrayFieldStart("counts");
    int binCount = s.binning().binCount();
    for (int i = 0; i < binCount; i++) {
      g.writeNumber(s.count(i));
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  // ---------------------------------------------------------------- reading

  /** Reads and validates a spectrum file; errors name the file. */
  public SpectrumSnapshot read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the spectrum file " + file + ": "
          + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()), e);
    }
  }

  /**
   * Reads and validates a spectrum from a stream (not closed).
   *
   * @param sourceName how errors name the input, e.g. a file name or {@code "upload"}
   */
  public SpectrumSnapshot read(InputStream in, String sourceName) {
    JsonNode root;
    try {
      root = Reading.MAPPER.readTree(in);
    } catch (JsonProcessingException e) {
      throw new SpectrumFormatException(sourceName, "(document)",
          "not valid JSON: " + e.getOriginalMessage() + locationOf(e), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read spectrum from " + sourceName + ": " + e, e);
    }
    return parse(root, sourceName);
  }

  /** Reads and validates a spectrum from a JSON string. */
  public SpectrumSnapshot fromJson(String json, String sourceName) {
    return read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), sourceName);
  }

  private static String locationOf(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
  }

  private static SpectrumSnapshot parse(JsonNode root, String src) {
    if (root == null || root.isMissingNode()) {
      throw new SpectrumFormatException(src, "(document)", "empty input, expected a JSON object");
    }
    if (!root.isObject()) {
      throw new SpectrumFormatException(src, "(document)",
          "expected a JSON object, got " + root.getNodeType().toString().toLowerCase(Locale.ROOT));
    }
    // Identify the format and version before anything else, so a foreign file fails clearly.
    String format = requiredText(root, "format", "format", src);
    if (!FORMAT.equals(format)) {
      throw new SpectrumFormatException(src, "format",
          "expected \"" + FORMAT + "\", got \"" + format + "\"");
    }
    long version = requiredLong(root, "formatVersion", "formatVersion", src);
    if (version != FORMAT_VERSION) {
      throw new SpectrumFormatException(src, "formatVersion",
          "unsupported version " + version + " (this build reads version " + FORMAT_VERSION + ")");
    }

    SpectrumLabels labels;
    String name = requiredText(root, "name", "name", src);
    try {
      labels = new SpectrumLabels(name, requiredText(root, "detector", "detector", src),
          requiredText(root, "reactorState", "reactorState", src),
          requiredText(root, "stage", "stage", src));
    } catch (IllegalArgumentException e) {
      throw new SpectrumFormatException(
          src, labelField(e.getMessage()), e.getMessage().replaceFirst("^labels: ", ""), e);
    }

    String takenAtText = requiredText(root, "takenAt", "takenAt", src);
    Instant takenAt;
    try {
      takenAt = Instant.parse(takenAtText);
    } catch (DateTimeParseException e) {
      throw new SpectrumFormatException(src, "takenAt",
          "expected an ISO-8601 UTC instant such as 2024-03-01T12:00:00Z, got \"" + takenAtText + "\"",
          e);
    }

    JsonNode binningNode = root.get("binning");
    if (binningNode == null || !binningNode.isObject()) {
      throw new SpectrumFormatException(src, "binning",
          binningNode == null ? "missing" : "expected an object");
    }
    double lowKeV = requiredDouble(binningNode, "lowKeV", "binning.lowKeV", src);
    double binWidthKeV = requiredDouble(binningNode, "binWidthKeV", "binning.binWidthKeV", src);
    long binCountLong = requiredLong(binningNode, "binCount", "binning.binCount", src);
    if (binCountLong < 1 || binCountLong > Binning.MAX_BIN_COUNT) {
      throw new SpectrumFormatException(src, "binning.binCount",
          "must be in [1, " + Binning.MAX_BIN_COUNT + "], got " + binCountLong);
    }
    Binning binning;
    try {
      binning = new Binning(lowKeV, binWidthKeV, (int) binCountLong);
    } catch (IllegalArgumentException e) {
      throw new SpectrumFormatException(
          src, "binning", e.getMessage().replaceFirst("^binning: ", ""), e);
    }

    double massKg = requiredDouble(root, "massKg", "massKg", src);
    if (!(massKg > 0.0)) {
      throw new SpectrumFormatException(src, "massKg", "must be > 0, got " + massKg);
    }
    double liveTimeSeconds = requiredDouble(root, "liveTimeSeconds", "liveTimeSeconds", src);
    if (!(liveTimeSeconds >= 0.0)) {
      throw new SpectrumFormatException(src, "liveTimeSeconds", "must be >= 0, got " + liveTimeSeconds);
    }
    if (root.has("exposureKgDays")) {
      double given = requiredDouble(root, "exposureKgDays", "exposureKgDays", src);
      double expected = massKg * (liveTimeSeconds / Spectrum.SECONDS_PER_DAY);
      if (!(Math.abs(given - expected) <= EXPOSURE_RELATIVE_TOLERANCE * expected)) {
        throw new SpectrumFormatException(src, "exposureKgDays",
            "is " + given + " but massKg * liveTimeSeconds / 86400 = " + expected
                + " (edit liveTimeSeconds, and drop or fix exposureKgDays)");
      }
    }
    long underflow = requiredCount(root, "underflow", "underflow", src);
    long overflow = requiredCount(root, "overflow", "overflow", src);
    long invalid = requiredCount(root, "invalid", "invalid", src);

    JsonNode countsNode = root.get("counts");
    if (countsNode == null || !countsNode.isArray()) {
      throw new SpectrumFormatException(src, "counts",
          countsNode == null ? "missing" : "expected an array of non-negative integers");
    }
    if (countsNode.size() != binning.binCount()) {
      throw new SpectrumFormatException(src, "counts",
          "expected " + binning.binCount() + " entries (binning.binCount), got " + countsNode.size());
    }
    long[] counts = new long[binning.binCount()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = countValue(countsNode.get(i), "counts[" + i + "]", src);
    }
    return new SpectrumSnapshot(labels, binning, massKg, liveTimeSeconds, underflow, overflow,
        invalid, counts, takenAt);
  }

  /** The label field a {@link SpectrumLabels} validation message is about ("labels: stage ..."). */
  private static String labelField(String message) {
    for (String field : new String[] {"name", "detector", "reactorState", "stage"}) {
      if (message.startsWith("labels: " + field + " ")) {
        return field;
      }
    }
    return "(labels)";
  }

  private static JsonNode required(JsonNode parent, String key, String path, String src) {
    JsonNode node = parent.get(key);
    if (node == null || node.isNull()) {
      throw new SpectrumFormatException(src, path, "missing");
    }
    return node;
  }

  private static String requiredText(JsonNode parent, String key, String path, String src) {
    JsonNode node = required(parent, key, path, src);
    if (!node.isTextual()) {
      throw new SpectrumFormatException(src, path, "expected a string, got " + node);
    }
    return node.textValue();
  }

  private static double requiredDouble(JsonNode parent, String key, String path, String src) {
    JsonNode node = required(parent, key, path, src);
    if (!node.isNumber()) {
      throw new SpectrumFormatException(src, path, "expected a number, got " + node);
    }
    double value = node.doubleValue();
    if (!Double.isFinite(value)) {
      throw new SpectrumFormatException(src, path, "must be finite, got " + node);
    }
    return value;
  }

  private static long requiredLong(JsonNode parent, String key, String path, String src) {
    JsonNode node = required(parent, key, path, src);
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw new SpectrumFormatException(src, path, "expected an integer, got " + node);
    }
    return node.longValue();
  }

  private static long requiredCount(JsonNode parent, String key, String path, String src) {
    return countValue(required(parent, key, path, src), path, src);
  }

  private static long countValue(JsonNode node, String path, String src) {
    if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
      throw new SpectrumFormatException(src, path, "expected a non-negative integer, got " + node);
    }
    long value = node.longValue();
    if (value < 0) {
      throw new SpectrumFormatException(src, path, "must be >= 0, got " + value);
    }
    return value;
  }
}
