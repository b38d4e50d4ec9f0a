/**
 * Lesson 4, given: the few numbers every measurement here needs. You do not
 * edit this file.
 *
 * @module
 */

/** Summary of a set of durations, in ms. */
export interface Spread {
  /** The smallest. */
  min: number;
  /** The mean. */
  avg: number;
  /** The median: half were faster. */
  p50: number;
  /** 99 in 100 were at most this. */
  p99: number;
  /** The largest. */
  max: number;
}

/** The spread of `values` (ms), or null when there are none. */
export function spread(values: number[]): Spread | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
  return {
    min: sorted[0],
    avg: sorted.reduce((sum, v) => sum + v, 0) / sorted.length,
    p50: at(0.5),
    p99: at(0.99),
    max: sorted[sorted.length - 1],
  };
}

/** `0.123` ms with three decimals, the way ping prints times. */
export function ms(value: number): string {
  return value.toFixed(3);
}

/** Bytes per second as Gbit/s or Mbit/s, whichever reads better. */
export function rate(bytes: number, seconds: number): string {
  const bits = bytes * 8 / seconds;
  return bits >= 1e9 ? `${(bits / 1e9).toFixed(2)} Gbit/s` : `${(bits / 1e6).toFixed(1)} Mbit/s`;
}

/** The address to bind a client's UDP socket to so it can reach `host` (loopback only, as the tasks allow). */
export function localFor(host: string): string {
  return host.includes(":") ? "::1" : "127.0.0.1";
}

/** `localhost` as an address Deno's UDP `send` takes. */
export function literal(host: string): string {
  return host === "localhost" ? "127.0.0.1" : host;
}
