import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { bracket, coarseGrid, fineGrid } from '../../../src/core/nat/bindingLifetime';

describe('binding-lifetime search grids', () => {
  it('the coarse grid steps by 5 s up to a minute, then widens, and stops at the maximum', () => {
    assert.deepEqual(coarseGrid(100), [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 90]);
  });
  it('the fine grid fills a wide bracket in 5 s steps', () => {
    assert.deepEqual(fineGrid(60, 90), [65, 70, 75, 80, 85]);
  });
  it('the bracket is the longest survival below the first expiry', () => {
    assert.deepEqual(bracket(new Map([[5, true], [10, true], [15, false], [20, false]])), { lower: 10, upper: 15 });
  });
  it('a survival after an expiry (a lost answer, a NAT under load) does not move the bracket', () => {
    assert.deepEqual(bracket(new Map([[5, true], [10, false], [15, true]])), { lower: 5, upper: 10 });
  });
  it('no expiry at all has no upper bound', () => {
    assert.deepEqual(bracket(new Map([[5, true], [10, true]])), { lower: 10, upper: null });
  });
});
