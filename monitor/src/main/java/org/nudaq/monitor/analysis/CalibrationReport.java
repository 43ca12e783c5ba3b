package org.nudaq.monitor.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.nudaq.monitor.calibration.ResolutionCurve;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.ChannelConfig;
import org.nudaq.monitor.config.NudaqConfig;

/**
 * A calibration report read back (issue 17): the JSON the daemon serves at {@code GET /api/calibration} (also
 * {@code ?run=N}) and {@code nudaq replay} writes as {@code calibration-report.json} (docs/metrics.md), so that
 * {@code nudaq limits --calibration} takes the line masks' widths and the energy-scale constraints from the same
 * applied epochs, through the same {@link CalibrationInputs#of}, as the daemon's limits of the same data. Of
 * each channel it keeps the applied epochs in their order: {@code inForceAtStart} first when the report has one
 * (a run's report: the epoch in force when the run began), then {@code epochs}. Only the numbers the limits use
 * are read ({@link CalibrationInputs.Epoch}). Immutable.
 *
 * @param file      the report's file
 * @param channels  per channel ({@code board<id>/ch<n>}, the report's order) its applied epochs, oldest first
 */
public record CalibrationReport(Path file, Map<String, List<CalibrationInputs.Epoch>> channels) {

  public CalibrationReport {
    Map<String, List<CalibrationInputs.Epoch>> copy = new LinkedHashMap<>();
    channels.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    channels = java.util.Collections.unmodifiableMap(copy);
  }

  /**
   * Reads a report. A file that is missing, not JSON, or not a calibration report is an
   * {@link IllegalArgumentException} whose message is one line naming the file and what is wrong.
   */
  public static CalibrationReport read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw bad(file, Files.isDirectory(file) ? "is a directory, not a calibration report" : "no such file");
    }
    JsonNode root;
    try {
      // NaN where a fit gave none (the report's writer may put it bare): read, and refused only where it is used.
      root = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build().readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw bad(file, "not JSON" + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr() + ")") + ": " + oneLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw bad(file, "cannot be read: " + e.getMessage());
    }
    JsonNode list = root == null ? null : root.get("channels");
    if (list == null || !list.isArray()) {
      throw bad(file, "not a calibration report (no 'channels' list; expected the JSON of GET /api/calibration or"
          + " a replay's calibration-report.json)");
    }
    Map<String, List<CalibrationInputs.Epoch>> channels = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode ch = list.get(i);
      JsonNode name = ch.get("channel");
      if (name == null || !name.isTextual()) {
        throw bad(file, "channels[" + i + "]: no 'channel' name");
      }
      String where = "channel " + name.asText();
      if (channels.containsKey(name.asText())) {
        throw bad(file, where + " is listed twice");
      }
      JsonNode epochs = ch.get("epochs");
      if (epochs == null || !epochs.isArray()) {
        throw bad(file, where + ": no 'epochs' list");
      }
      List<CalibrationInputs.Epoch> out = new ArrayList<>();
      JsonNode start = ch.get("inForceAtStart");
      if (start != null && !start.isNull()) {
        out.add(epoch(file, where + " inForceAtStart", start));
      }
      for (int k = 0; k < epochs.size(); k++) {
        CalibrationInputs.Epoch e = epoch(file, where + " epochs[" + k + "]", epochs.get(k));
        if (!out.isEmpty() && e.atNs() < out.get(out.size() - 1).atNs()) {
          throw bad(file, where + " epochs[" + k + "]: atNs " + e.atNs() + " is before the epoch listed before it ("
              + out.get(out.size() - 1).atNs() + "): the epochs must be in the order they were applied");
        }
        out.add(e);
      }
      channels.put(name.asText(), out);
    }
    return new CalibrationReport(file, channels);
  }

  /**
   * What the limits take from this report under a configuration: its epochs through {@link CalibrationInputs#of}.
   * A channel of the report that is not an HPGe channel of the configuration, or a report without any applied
   * epoch, is an {@link IllegalArgumentException} (one line naming the file).
   */
  public CalibrationInputs inputs(NudaqConfig config) {
    TreeSet<String> hpge = new TreeSet<>();
    for (BoardConfig b : config.digitizer().boards()) {
      for (ChannelConfig ch : b.channels()) {
        if (ch.role() == ChannelConfig.Role.HPGE) {
          hpge.add("board" + b.id() + "/ch" + ch.channel());
        }
      }
    }
    for (String channel : channels.keySet()) {
      if (!hpge.contains(channel)) {
        throw bad(file, "channel " + channel + " is not an HPGe channel of the configuration (its HPGe channels: "
            + String.join(", ", hpge) + "): a report of another setup?");
      }
    }
    if (epochCount() == 0) {
      throw bad(file, "no applied calibration epoch (" + (channels.isEmpty() ? "no channel"
          : "every channel's 'epochs' is empty") + "): nothing to take the line widths from; without --calibration"
          + " the configured resolution is used");
    }
    return CalibrationInputs.of(config, channel -> channels.getOrDefault(channel, List.of()));
  }

  /** Applied epochs over all channels. */
  public int epochCount() {
    int n = 0;
    for (List<CalibrationInputs.Epoch> e : channels.values()) {
      n += e.size();
    }
    return n;
  }

  /** One line for the results: {@code calibration report FILE: 9 epochs of board0/ch0}. */
  public String describe() {
    List<String> with = new ArrayList<>();
    for (Map.Entry<String, List<CalibrationInputs.Epoch>> e : channels.entrySet()) {
      if (!e.getValue().isEmpty()) {
        with.add(e.getKey());
      }
    }
    return "calibration report " + file + ": " + epochCount() + (epochCount() == 1 ? " epoch" : " epochs") + " of "
        + String.join(", ", with);
  }

  private static CalibrationInputs.Epoch epoch(Path file, String where, JsonNode e) {
    if (e == null || !e.isObject()) {
      throw bad(file, where + ": not an object");
    }
    JsonNode status = e.get("status");
    if (status != null && !status.asText().equals("calibrated") && !status.asText().equals("step")) {
      throw bad(file, where + ": status '" + status.asText() + "' is not an applied calibration (calibrated or step)");
    }
    JsonNode at = e.get("atNs");
    if (at == null || !at.isIntegralNumber() || !at.canConvertToLong()) {
      throw bad(file, where + ": no integer 'atNs' (the epoch's data time, ns)");
    }
    double gain = number(file, where, e, "gainKeVPerAdc");
    double gainErr = number(file, where, e, "gainErrKeVPerAdc");
    double offset = number(file, where, e, "offsetKeV");
    double offsetErr = number(file, where, e, "offsetErrKeV");
    double noise = number(file, where, e, "fwhmNoiseKeV2");
    double slope = number(file, where, e, "fwhmSlopeKeV");
    if (!(gain > 0) || gainErr < 0 || offsetErr < 0) {
      throw bad(file, where + ": gainKeVPerAdc must be > 0 and the errors ≥ 0, got gain " + gain + " ± " + gainErr
          + ", offset error " + offsetErr);
    }
    if (noise < 0 || slope < 0 || !(noise + slope > 0)) {
      throw bad(file, where + ": the resolution curve FWHM² = fwhmNoiseKeV2 + fwhmSlopeKeV·E needs both ≥ 0 and not"
          + " both 0, got " + noise + " and " + slope);
    }
    return new CalibrationInputs.Epoch(at.asLong(), gain, gainErr, offset, offsetErr, new ResolutionCurve(noise, slope));
  }

  private static double number(Path file, String where, JsonNode e, String key) {
    JsonNode v = e.get(key);
    if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
      throw bad(file, where + ": no finite number '" + key + "'");
    }
    return v.asDouble();
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
  }

  private static IllegalArgumentException bad(Path file, String what) {
    return new IllegalArgumentException(file + ": " + what);
  }
}
