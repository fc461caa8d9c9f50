import { describe, expect, it } from 'vitest';
import { type Fault, FaultInjector, seededRandom } from '#test/standins/faults';

const request = (route: string, path = `/${route}`, method = 'GET') => ({ method, path, route });

describe('Class: FaultInjector', () => {
  it('hands out one-shot faults in order, each to one matching request', () => {
    // arrange
    const faults = new FaultInjector().enqueue({ status: 503 }).enqueue({ drop: true });

    // act
    const taken = [faults.take(request('a')), faults.take(request('a')), faults.take(request('a'))];

    // assert
    expect(taken).toEqual([{ status: 503 }, { drop: true }, undefined]);
    expect(faults.pending).toBe(0);
  });

  it('matches by route name, path prefix, RegExp and method, and repeats `times`', () => {
    // arrange
    const faults = new FaultInjector()
      .enqueue({ status: 429 }, { route: 'searchJql', times: 2 })
      .enqueue({ status: 500 }, { route: '/rest/api/3/version/' })
      .enqueue({ status: 502 }, { route: /project\/ABC$/ })
      .enqueue({ status: 504 }, { method: 'POST' });

    // act / assert
    expect(faults.take(request('getVersion', '/rest/api/3/version/1'))).toEqual({ status: 500 });
    expect(faults.take(request('getProject', '/rest/api/3/project/XYZ'))).toBeUndefined();
    expect(faults.take(request('getProject', '/rest/api/3/project/ABC'))).toEqual({ status: 502 });
    expect(faults.take(request('searchJql', '/rest/api/3/search/jql', 'POST'))).toEqual({ status: 429 });
    expect(faults.take(request('searchJql', '/rest/api/3/search/jql', 'POST'))).toEqual({ status: 429 });
    expect(faults.take(request('searchJql', '/rest/api/3/search/jql', 'POST'))).toEqual({ status: 504 });
    expect(faults.pending).toBe(0);
  });

  it('counts injected faults by kind, status and route', () => {
    // arrange
    const faults = new FaultInjector()
      .enqueue({ status: 503 }, { times: 2 })
      .enqueue({ delayMs: 10 })
      .enqueue({ drop: true });

    // act
    for (const route of ['a', 'b', 'a', 'a', 'a']) faults.take(request(route));

    // assert
    expect(faults.counters).toEqual({
      total: 4,
      byStatus: { 503: 2 },
      delays: 1,
      drops: 1,
      byRoute: { a: 3, b: 1 },
      answersLost: 0,
    });
  });

  it('picks chaos faults in proportion to their weights', () => {
    // arrange
    const faults = new FaultInjector().chaos({
      rate: 1,
      kinds: [{ status: 503 }, { answerLost: 'drop' }],
      weights: [1, 3],
      seed: 11,
    });

    // act
    for (let i = 0; i < 4000; i++) faults.take(request('a'));

    // assert: about 1000 and 3000
    expect(faults.counters.byStatus[503]).toBeGreaterThan(850);
    expect(faults.counters.byStatus[503]).toBeLessThan(1150);
    expect(faults.counters.answersLost).toBe(4000 - (faults.counters.byStatus[503] ?? 0));
    expect(() =>
      new FaultInjector().chaos({ rate: 1, kinds: [{ drop: true }], weights: [0], seed: 1 }),
    ).toThrow(RangeError);
  });

  it('injects the same chaos for the same seed, and different chaos for another seed', () => {
    // arrange
    const kinds: Fault[] = [
      { status: 503, retryAfterSeconds: 1 },
      { status: 429 },
      { drop: true },
      { delayMs: 5 },
    ];
    const run = (seed: number) => {
      const faults = new FaultInjector().chaos({ rate: 0.3, kinds, seed });
      return Array.from({ length: 1000 }, () => faults.take(request('x')));
    };

    // act
    const first = run(42);
    const again = run(42);
    const other = run(43);

    // assert
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    const injected = first.filter((f) => f !== undefined).length;
    expect(injected).toBeGreaterThan(240);
    expect(injected).toBeLessThan(360);
    for (const kind of kinds) expect(first).toContainEqual(kind);
  });

  it('lets one-shot faults win over chaos and applies chaos only to matching routes', () => {
    // arrange
    const faults = new FaultInjector()
      .chaos({ rate: 1, kinds: [{ status: 500 }], seed: 1, route: 'chatCompletions' })
      .enqueue({ status: 400 });

    // act / assert
    expect(faults.take(request('chatCompletions'))).toEqual({ status: 400 });
    expect(faults.take(request('chatCompletions'))).toEqual({ status: 500 });
    expect(faults.take(request('other'))).toBeUndefined();
    faults.reset();
    expect(faults.take(request('chatCompletions'))).toBeUndefined();
    expect(faults.counters.total).toBe(0);
  });

  it('refuses a chaos rate outside 0..1 or no kinds', () => {
    // act / assert
    expect(() => new FaultInjector().chaos({ rate: 1.5, kinds: [{ drop: true }], seed: 1 })).toThrow(
      RangeError,
    );
    expect(() => new FaultInjector().chaos({ rate: 0.5, kinds: [], seed: 1 })).toThrow(RangeError);
  });
});

describe('Function: seededRandom', () => {
  it('is reproducible and stays in [0, 1)', () => {
    // arrange
    const a = seededRandom(7);
    const b = seededRandom(7);

    // act
    const values = Array.from({ length: 500 }, () => a());

    // assert
    expect(Array.from({ length: 500 }, () => b())).toEqual(values);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(values).size).toBe(500);
  });
});
