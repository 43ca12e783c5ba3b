/**
 * The simulated digitizer boards: turning generated events into list-mode records in ticks, with dead time,
 * aggregates in the board's event memory ({@code BoardBuffer}: one producer, the generator thread; one consumer,
 * the network) and status counters.
 */
package org.nudaq.sim.board;
