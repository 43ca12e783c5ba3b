/**
 * The daemon module's command lines ({@code ./nudaq run}, {@code ./nudaq replay}): picocli commands that parse
 * options, load the configuration and hand over to {@code daemon} or {@code replay}. Run on the main thread; they own
 * no state beyond the command's lifetime.
 */
package org.nudaq.server.cli;
