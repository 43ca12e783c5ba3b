package org.nudaq.monitor.spectrum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpectrumJsonTest {

  private static final Path FORMAT_DOC = Path.of("..", "docs", "spectrum-format.md");

  private final SpectrumJson json = new SpectrumJson();

  @TempDir Path dir;

  /** The example of docs/spectrum-format.md: GEMMA-I ON, 2.8-3.8 keV, 1.5 kg, 2 days. */
  private static SpectrumSnapshot docExample() {
    return new SpectrumSnapshot(
        new SpectrumLabels("on-after-gates", "hpge1", "on", "after-gates"),
        new Binning(2.8, 0.1, 10), 1.5, 172_800.0, 41, 3, 0,
        new long[] {2, 0, 1, 1, 0, 3, 1, 0, 1, 0},
        Instant.parse("2024-03-01T12:00:00Z"));
  }

  private static String docExampleJson() throws IOException {
    String doc = Files.readString(FORMAT_DOC);
    int start = doc.indexOf("```json\n") + "```json\n".length();
    int end = doc.indexOf("```", start);
    return doc.substring(start, end);
  }

  @Test
  void writesExactlyTheExampleOfTheFormatDocument() throws IOException {
    assertThat(json.toJson(docExample())).isEqualTo(docExampleJson());
  }

  @Test
  void readsTheExampleOfTheFormatDocument() throws IOException {
    SpectrumSnapshot s = json.fromJson(docExampleJson(), "spectrum-format.md");
    assertThat(s).isEqualTo(docExample());
    // 2 days on 1.5 kg: exposure 3 kg·day; 3 counts in a 0.1 keV bin = 3 / (0.1 * 3) = 10 /keV/kg/day.
    assertThat(s.exposureKgDays()).isEqualTo(3.0);
    assertThat(s.countsPerKeVKgDay()[5]).isCloseTo(10.0, within(1e-12));
  }

  @Test
  void roundTripIsBitExactForArbitraryDoubles() {
    Random random = new Random(20240301L);
    for (int trial = 0; trial < 200; trial++) {
      double liveTimeSeconds = random.nextDouble() * Math.pow(10, random.nextInt(10));
      double massKg = 0.1 + random.nextDouble() * 6;
      double lowKeV = -1 + random.nextDouble() * 3;
      double binWidthKeV = 0.01 + random.nextDouble();
      long[] counts = new long[1 + random.nextInt(300)];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = random.nextInt(5) == 0 ? Long.MAX_VALUE - random.nextInt(1000) : random.nextInt(100);
      }
      SpectrumSnapshot s = new SpectrumSnapshot(
          new SpectrumLabels("s" + trial, "hpge 2", trial % 2 == 0 ? "on" : "off", "raw"),
          new Binning(lowKeV, binWidthKeV, counts.length), massKg, liveTimeSeconds,
          random.nextInt(1000), Long.MAX_VALUE, random.nextInt(3), counts,
          Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1_000_000_000)));

      SpectrumSnapshot back = json.fromJson(json.toJson(s), "trial-" + trial);

      assertThat(Double.doubleToRawLongBits(back.liveTimeSeconds()))
          .isEqualTo(Double.doubleToRawLongBits(liveTimeSeconds));
      assertThat(back).isEqualTo(s);
    }
  }

  @Test
  void fileRoundTripReplacesTheFileAndLeavesNoTemporary() {
    Path file = dir.resolve("on.json");
    EnergySpectrum spectrum = EnergySpectrum.fromSnapshot(docExample());
    json.write(spectrum.snapshot(Instant.EPOCH), file);
    spectrum.fill(3.0);
    spectrum.addLiveTime(0.1);
    SpectrumSnapshot newer = spectrum.snapshot(Instant.EPOCH.plusSeconds(1));
    json.write(newer, file);

    assertThat(json.read(file)).isEqualTo(newer);
    assertThat(dir.toFile().list()).containsExactly("on.json");
  }

  @Test
  void readingAMissingFileNamesThePath() {
    Path missing = dir.resolve("nope.json");
    assertThatThrownBy(() -> json.read(missing))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("cannot read the spectrum file " + missing + ": no such file");
  }

  // ------------------------------------------------------------ malformed files

  private SpectrumFormatException readBroken(String from, String to) throws IOException {
    String text = docExampleJson();
    assertThat(text).contains(from);
    Path file = dir.resolve("on.json");
    Files.writeString(file, text.replace(from, to));
    try {
      json.read(file);
    } catch (SpectrumFormatException e) {
      assertThat(e.source()).isEqualTo(file.toString());
      assertThat(e.getMessage()).startsWith(file + ": ");
      return e;
    }
    throw new AssertionError("read accepted a broken file: " + from + " -> " + to);
  }

  @Test
  void rejectsAnotherFormat() throws IOException {
    SpectrumFormatException e = readBroken("\"nudaq-spectrum\"", "\"nudaq-histogram\"");
    assertThat(e.field()).isEqualTo("format");
    assertThat(e).hasMessageEndingWith("on.json: format: expected \"nudaq-spectrum\", got \"nudaq-histogram\"");
  }

  @Test
  void rejectsAnUnsupportedVersion() throws IOException {
    assertThat(readBroken("\"formatVersion\" : 1", "\"formatVersion\" : 2"))
        .hasMessageEndingWith("on.json: formatVersion: unsupported version 2 (this build reads version 1)");
  }

  @Test
  void rejectsCountsOfTheWrongLength() throws IOException {
    assertThat(readBroken("[ 2, 0, 1, 1, 0, 3, 1, 0, 1, 0 ]", "[ 2, 0, 1, 1, 0, 3, 1, 0, 1 ]"))
        .hasMessageEndingWith("on.json: counts: expected 10 entries (binning.binCount), got 9");
  }

  @Test
  void rejectsNegativeAndFractionalCounts() throws IOException {
    assertThat(readBroken("[ 2, 0, 1,", "[ 2, 0, -3,"))
        .hasMessageEndingWith("on.json: counts[2]: must be >= 0, got -3");
    assertThat(readBroken("[ 2, 0, 1,", "[ 2.5, 0, 1,"))
        .hasMessageEndingWith("on.json: counts[0]: expected a non-negative integer, got 2.5");
    assertThat(readBroken("\"underflow\" : 41", "\"underflow\" : -41"))
        .hasMessageEndingWith("on.json: underflow: must be >= 0, got -41");
  }

  @Test
  void rejectsMissingAndMistypedFields() throws IOException {
    assertThat(readBroken("\"massKg\" : 1.5,", "")).hasMessageEndingWith("on.json: massKg: missing");
    assertThat(readBroken("\"liveTimeSeconds\" : 172800.0", "\"liveTimeSeconds\" : \"2 days\""))
        .hasMessageEndingWith("on.json: liveTimeSeconds: expected a number, got \"2 days\"");
    assertThat(readBroken("\"binCount\" : 10", "\"binCount\" : 10.5"))
        .hasMessageEndingWith("on.json: binning.binCount: expected an integer, got 10.5");
    assertThat(readBroken("2024-03-01T12:00:00Z", "yesterday").field()).isEqualTo("takenAt");
  }

  @Test
  void rejectsInvalidValuesWithTheFieldName() throws IOException {
    assertThat(readBroken("\"reactorState\" : \"on\"", "\"reactorState\" : \"maybe\""))
        .hasMessageContaining("on.json: reactorState: reactorState must be one of on, off, all");
    assertThat(readBroken("\"binWidthKeV\" : 0.1", "\"binWidthKeV\" : 0"))
        .hasMessageContaining("on.json: binning: binWidthKeV must be finite and > 0");
    assertThat(readBroken("\"massKg\" : 1.5", "\"massKg\" : -1.5"))
        .hasMessageEndingWith("on.json: massKg: must be > 0, got -1.5");
  }

  @Test
  void rejectsAnExposureThatContradictsMassAndLiveTime() throws IOException {
    assertThat(readBroken("\"exposureKgDays\" : 3.0", "\"exposureKgDays\" : 4.5"))
        .hasMessageContaining("on.json: exposureKgDays: is 4.5 but massKg * liveTimeSeconds / 86400 = 3.0");
  }

  @Test
  void rejectsBrokenJson() throws IOException {
    assertThat(readBroken("\"counts\" : [", "\"counts\" : [[")).hasMessageContaining("not valid JSON");
    assertThat(readBroken("\"stage\" : \"after-gates\",", "\"stage\" : \"a\", \"stage\" : \"b\","))
        .hasMessageContaining("Duplicate field 'stage'");
    assertThatThrownBy(() -> json.fromJson("", "empty.json"))
        .hasMessage("empty.json: (document): empty input, expected a JSON object");
    assertThatThrownBy(() -> json.fromJson("[1, 2]", "array.json"))
        .hasMessage("array.json: (document): expected a JSON object, got array");
  }

  @Test
  void ignoresUnknownFields() throws IOException {
    String withComment = docExampleJson().replace("\"stage\"", "\"comment\" : \"calibrated 2024-02\",\n  \"stage\"");
    assertThat(json.fromJson(withComment, "commented.json")).isEqualTo(docExample());
  }
}
