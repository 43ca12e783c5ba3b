/**
 * {@code ./nudaq sim}: the simulator's command line (main thread) and its shutdown hook that writes the
 * ground truth.
 */
package org.nudaq.sim.cli;
