/**
 * The physics of the simulated set-up: Poisson processes for signal, background, lines, Compton/NaI pairs,
 * muons and noise under a reactor schedule, in detector time, with the ground truth of what was generated. Runs on
 * the {@code sim-generator} thread; the per-event path allocates nothing.
 */
package org.nudaq.sim.generator;
