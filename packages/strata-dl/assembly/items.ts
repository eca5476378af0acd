// SPDX-License-Identifier: MIT
// Work items with a finer tail. The tasks hand out items through a shared counter; where the items
// are big (an image, a chunk of the batch), the last `tail` units go as `parts` pieces each, so that
// the threads finish close together rather than one waiting up to a whole unit for the other. The
// items are the first units − tail units whole, then the pieces of the last ones in order.

/** How many items `units` units make when the last `tail` are cut into `parts` pieces each. */
// @ts-ignore: decorator
@inline export function tailItems(units: i32, tail: i32, parts: i32): i32 {
  return units + tail * (parts - 1);
}

/** The unit of item `it` (see tailItems). */
// @ts-ignore: decorator
@inline export function itemUnit(it: i32, units: i32, tail: i32, parts: i32): i32 {
  const q = it - (units - tail);
  return q < 0 ? it : units - tail + q / parts;
}

/** The piece of item `it` within its unit, or −1 for a whole unit (see tailItems). */
// @ts-ignore: decorator
@inline export function itemPiece(it: i32, units: i32, tail: i32, parts: i32): i32 {
  const q = it - (units - tail);
  return q < 0 ? -1 : q % parts;
}
