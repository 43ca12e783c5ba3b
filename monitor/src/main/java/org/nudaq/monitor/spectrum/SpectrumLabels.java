package org.nudaq.monitor.spectrum;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a spectrum is: its name, the detector it comes from, the reactor state it collects and the
 * pipeline stage (cut) it is filled after. Used for display, file names and the JSON format.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name unique spectrum name, a token of {@code [A-Za-z0-9._-]} (e.g. {@code on-after-veto})
 * @param detector detector name, non-blank (e.g. {@code hpge1})
 * @param reactorState one of {@link #REACTOR_STATES}: {@code on}, {@code off}, or {@code all} for a
 *     spectrum not split by reactor state
 * @param stage pipeline stage, a token of {@code [A-Za-z0-9._-]} (e.g. {@code raw},
 *     {@code after-veto}, {@code after-gates})
 */
public record SpectrumLabels(String name, String detector, String reactorState, String stage) {

  /** Accepted reactor-state labels. */
  public static final Set<String> REACTOR_STATES = Set.of("on", "off", "all");

  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._-]+");

  /** Validates the labels; messages name the field and the value. */
  public SpectrumLabels {
    requireToken("name", name);
    Objects.requireNonNull(detector, "labels: detector must not be null");
    if (detector.isBlank()) {
      throw new IllegalArgumentException("labels: detector must not be blank (name=" + name + ")");
    }
    Objects.requireNonNull(reactorState, "labels: reactorState must not be null");
    if (!REACTOR_STATES.contains(reactorState)) {
      throw new IllegalArgumentException(
          "labels: reactorState must be one of on, off, all; got reactorState=" + reactorState
              + " (name=" + name + ")");
    }
    requireToken("stage", stage);
  }

  private static void requireToken(String field, String value) {
    Objects.requireNonNull(value, () -> "labels: " + field + " must not be null");
    if (!TOKEN.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "labels: " + field + " must be a non-empty token of [A-Za-z0-9._-], got " + field + "="
              + value);
    }
  }
}
