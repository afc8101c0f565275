/**
 * Array helpers safe for arrays of any length. `a.push(...b)` and
 * `Math.max(...b)` pass every element as an argument, and past ~100k elements
 * that overflows the stack ("Maximum call stack size exceeded"): pages and
 * outputs have no such bound, so the engine uses these instead.
 */

/** Appends `items` to `target` in place; returns `target`. */
export function append<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item)
  return target
}

/** The largest of `values`, or `empty` for none. */
export function maxOf(values: Iterable<number>, empty = -Infinity): number {
  let max = empty
  let any = false
  for (const value of values) {
    if (!any || value > max) max = value
    any = true
  }
  return max
}

/** The smallest of `values`, or `empty` for none. */
export function minOf(values: Iterable<number>, empty = Infinity): number {
  let min = empty
  let any = false
  for (const value of values) {
    if (!any || value < min) min = value
    any = true
  }
  return min
}
