package org.nudaq.monitor.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code nudaq demo} while the daemon does not exist yet: shows what the project can do today with
 * the default configuration — the physics model's rates and the expected limits — and says so.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Show the physics model and the expected limits for the default configuration.")
public final class DemoCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.println("nudaq demo — the daemon and its web page are not built yet; this shows the physics model");
    out.println("and the statistics that they will use, for " + config.file() + ".");
    out.println();
    out.println("1. Differential recoil rates (./nudaq physics):");
    out.flush();
    CommandLine parent = spec.commandLine().getParent();
    int rc = parent.execute("physics", "--config", config.file().toString(), "--energies", "1,2.8,5,10,30,55");
    out.println();
    out.println("2. Expected 90% CL limits at the profile's nominal exposure (./nudaq sensitivity):");
    out.flush();
    rc |= parent.execute("sensitivity", "--config", config.file().toString());
    out.println();
    out.println("Other profiles: --config config/gemma-2.yaml or config/gemma-3.yaml. See README.md.");
    out.flush();
    return rc;
  }
}
