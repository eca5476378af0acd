// SPDX-License-Identifier: MIT
// The benches' warm-up loop (bench/warmup.ts) on a test clock that each step moves on, so that the
// counts and rates are exact (no timing of the machine running the test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { warmUp, warmUpAsync } from '../../bench/warmup.js';

/** A clock that only moves when a step says so. */
function testClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1000;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

test('warmUp runs steps until the warm-up has passed and returns their rate', () => {
  const clock = testClock();
  let steps = 0;
  const rate = warmUp(() => { clock.advance(5); steps++; return 2; }, 0.05, clock.now);
  assert.equal(steps, 10); // 10 steps of 5 ms fill 50 ms
  assert.equal(rate, 400); // 2 units per 5 ms
});

test('warmUp stops at the first step that ends past the warm-up', () => {
  const clock = testClock();
  let steps = 0;
  const rate = warmUp(() => { clock.advance(7); steps++; return 1; }, 0.05, clock.now);
  assert.equal(steps, 8); // 7 steps end at 49 ms, the 8th at 56
  assert.equal(rate, 8 / 0.056);
});

test('warmUp runs one step when the warm-up is 0 s', () => {
  const clock = testClock();
  let steps = 0;
  const rate = warmUp(() => { clock.advance(4); steps++; return 1; }, 0, clock.now);
  assert.equal(steps, 1);
  assert.equal(rate, 250);
});

test('warmUpAsync waits for each step before the next', async () => {
  const clock = testClock();
  let steps = 0, running = false;
  const rate = await warmUpAsync(async () => {
    assert.ok(!running, 'a step started before the last one ended');
    running = true;
    await new Promise((r) => setTimeout(r, 1));
    clock.advance(10);
    running = false;
    steps++;
    return 3;
  }, 0.03, clock.now);
  assert.equal(steps, 3);
  assert.equal(rate, 300);
});
