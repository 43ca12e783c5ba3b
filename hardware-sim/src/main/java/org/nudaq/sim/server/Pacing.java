package org.nudaq.sim.server;

/**
 * How fast detector time runs against wall time.
 *
 * @param accel detector seconds per wall second (1 = real time); {@link Double#POSITIVE_INFINITY}
 *              for {@link #max()}: as fast as the clients read. Then generation waits for room in
 *              the boards' buffers and no trigger is ever lost; paced runs instead keep detector time
 *              going, so a slow or absent client makes the boards lose triggers, as hardware would.
 */
public record Pacing(double accel) {

  public Pacing {
    if (!(accel > 0)) {
      throw new IllegalArgumentException("accel must be > 0 (detector seconds per wall second), got " + accel);
    }
  }

  /** As fast as the clients read (buffers hold generation back). */
  public static Pacing max() {
    return new Pacing(Double.POSITIVE_INFINITY);
  }

  public boolean isMax() {
    return Double.isInfinite(accel);
  }

  /** "max" or a positive number such as "1", "3600", "1e5". */
  public static Pacing parse(String text) {
    if ("max".equalsIgnoreCase(text.trim())) {
      return max();
    }
    double a;
    try {
      a = Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--accel must be 'max' or a positive number, got '" + text + "'");
    }
    if (!(a > 0) || Double.isInfinite(a)) {
      throw new IllegalArgumentException("--accel must be 'max' or a positive number, got '" + text + "'");
    }
    return new Pacing(a);
  }

  @Override
  public String toString() {
    return isMax() ? "max" : Double.toString(accel);
  }
}
