package org.nudaq.monitor.config;

/**
 * The electron-scattering model of each electromagnetic parameter ({@code analysis.crossSections}).
 * The result of every parameter is computed with its {@code model}: free electrons or the stepping
 * approximation (unset: {@code physics.binding}, stepping by default). A tabulated atomic-response
 * model ({@code atomicResponseTable}, the format of docs/analysis.md) is never the main result: when
 * given, a second result with it is computed and reported next to the main one.
 *
 * @param mu the magnetic moment's model
 * @param q  the millicharge's model
 */
public record CrossSectionConfig(Choice mu, Choice q) {

  /** Free electrons or stepping. */
  public enum Model {
    FREE,
    STEPPING
  }

  /**
   * One parameter's model.
   *
   * @param model               the model of the main result, or null for {@code physics.binding}
   * @param atomicResponseTable a table file (relative to the configuration file), or null
   */
  public record Choice(Model model, String atomicResponseTable) {}

  /** Nothing configured: both parameters with {@code physics.binding}, no table. */
  public static CrossSectionConfig defaults() {
    return new CrossSectionConfig(new Choice(null, null), new Choice(null, null));
  }

  static CrossSectionConfig bind(ConfigNode n) {
    return new CrossSectionConfig(choice(n.object("mu")), choice(n.object("q")));
  }

  private static Choice choice(ConfigNode n) {
    Model m = n.choice("model", Model.class, null);
    String table = n.text("atomicResponseTable", null);
    if (table != null && table.isBlank()) {
      n.error("atomicResponseTable", "must name a file, got an empty string");
      table = null;
    }
    return new Choice(m, table);
  }
}
