/**
 * The monitor module's command lines ({@code ./nudaq physics}, {@code sensitivity}, {@code limits}) and what
 * the project's commands share: the {@code --config} option, configuration errors as plain lines, JSON output.
 * Main thread.
 */
package org.nudaq.monitor.cli;
