/**
 * The daemon module's command lines ({@code ./nudaq run}, {@code ./nudaq replay}, {@code ./nudaq export}): picocli
 * commands that parse options, load the configuration and hand over to {@code daemon}, {@code replay} or
 * {@code export} ({@code ServerMain} builds only the subcommand named, to keep a replay's start-up short). Run on the
 * main thread; they own no state beyond the command's lifetime.
 */
package org.nudaq.server.cli;
