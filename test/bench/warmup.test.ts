// SPDX-License-Identifier: MIT
// The benches' warm-up loop (bench/warmup.ts) on a test clock that each step moves on, so that the
// counts and rates are exact (no timing of the machine running the test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { warmUp } from '../../bench/warmup.js';

/** A clock that only moves when a step says so. */
function testClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1000;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

test('warmUp runs steps until the warm-up has passed and returns their rate', async () => {
  const clock = testClock();
  let steps = 0;
  const rate = await warmUp(() => { clock.advance(5); steps++; return 2; }, 0.05, clock.now);
  assert.equal(steps, 10); // 10 steps of 5 ms fill 50 ms
  assert.equal(rate, 400); // 2 units per 5 ms
});

test('warmUp stops at the first step that ends past the warm-up', async () => {
  const clock = testClock();
  let steps = 0;
  const rate = await warmUp(() => { clock.advance(7); steps++; return 1; }, 0.05, clock.now);
  assert.equal(steps, 8); // 7 steps end at 49 ms, the 8th at 56
  assert.equal(rate, 8 / 0.056);
});

test('warmUp runs one step when the warm-up is 0 s', async () => {
  const clock = testClock();
  let steps = 0;
  const rate = await warmUp(() => { clock.advance(4); steps++; return 1; }, 0, clock.now);
  assert.equal(steps, 1);
  assert.equal(rate, 250);
});

test('warmUp waits for a step that returns a promise before the next', async () => {
  const clock = testClock();
  let steps = 0, running = false;
  const rate = await warmUp(async () => {
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
