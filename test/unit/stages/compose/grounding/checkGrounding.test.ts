import { describe, expect, it } from 'vitest';
import type { JiraIssue } from '#adapters/jira/JiraPort';
import type { LlmEmail } from '#contracts/emailDraft';
import { checkGrounding, type GroundingScope } from '#stages/compose/grounding/index';

const ISSUES: JiraIssue[] = [
  {
    key: 'SHOP-1',
    summary: 'Checkout loads 40% faster on mobile',
    description: 'Measured on 2025-06-10 over 1,500 sessions with version 2.3.1 of the "Quick Pay" widget.',
  },
  { key: 'SHOP-2', summary: 'Invoices show names with UTF-8 characters correctly' },
  {
    key: 'SHOP-3',
    summary: 'Exports are free for every plan',
    releaseNote: 'CSV exports cost nothing, on every plan.',
  },
];

const scope = (overrides: Partial<GroundingScope> = {}): GroundingScope => ({
  issues: ISSUES,
  locale: 'en',
  release: { versionName: 'Shop 5.2', releaseDate: '2026-12-15' },
  ...overrides,
});

/** A faithful email: one item per issue, its summary reworded. */
const email = (
  overrides: Partial<LlmEmail> = {},
  items?: LlmEmail['sections'][number]['items'],
): LlmEmail => ({
  subject: 'Shop 5.2 arrives tomorrow',
  preheader: 'Faster checkout, better invoices',
  intro: 'Shop 5.2 ships tomorrow with these changes.',
  sections: [
    {
      heading: 'Improvements',
      items: items ?? [
        { text: 'Checkout on phones is 40 % quicker.', issueKeys: ['SHOP-1'] },
        { text: 'Names with accents now print correctly on invoices.', issueKeys: ['SHOP-2'] },
        { text: 'CSV exports are free on every plan.', issueKeys: ['SHOP-3'] },
      ],
    },
  ],
  outro: 'Thank you for working with us.',
  ...overrides,
});

describe('Function: checkGrounding', () => {
  it('finds nothing wrong with a faithful draft', () => {
    // Act
    const problems = checkGrounding(email(), scope());

    // Assert
    expect(problems).toEqual([]);
  });

  it('fails "Free lifetime upgrades for everyone" citing a real key, naming the item and the words', () => {
    // Arrange
    const draft = email({}, [{ text: 'Free lifetime upgrades for everyone', issueKeys: ['SHOP-1'] }]);

    // Act
    const problems = checkGrounding(draft, scope());

    // Assert
    expect(problems).toEqual([
      { kind: 'unbacked_promise', field: 'sections[0].items[0]', words: ['Free', 'lifetime'] },
    ]);
  });

  it('fails an intro saying "we also fixed SHOP-999" when SHOP-999 is not in the release', () => {
    // Act
    const problems = checkGrounding(
      email({ intro: 'Shop 5.2 is here, and we also fixed SHOP-999.' }),
      scope(),
    );

    // Assert
    expect(problems).toEqual([{ kind: 'unknown_key', field: 'intro', words: ['SHOP-999'] }]);
  });

  it.each([
    ['subject', { subject: 'Shop 5.2 with SHOP-77' }],
    ['preheader', { preheader: 'SHOP-77 and more' }],
    ['outro', { outro: 'Questions about SHOP-77? Ask us.' }],
  ] as const)('fails a key that is not in scope in the %s', (field, overrides) => {
    // Act
    const problems = checkGrounding(email(overrides), scope());

    // Assert
    expect(problems).toEqual([{ kind: 'unknown_key', field, words: ['SHOP-77'] }]);
  });

  it('fails an unknown key in a heading, and one hidden by a zero-width space', () => {
    // Arrange
    const draft = email();
    const [section] = draft.sections;
    if (section) section.heading = 'Fixes for SHOP\u200B-404';

    // Act
    const problems = checkGrounding(draft, scope());

    // Assert
    expect(problems).toEqual([{ kind: 'unknown_key', field: 'sections[0].heading', words: ['SHOP-404'] }]);
  });

  it('accepts an in-scope key anywhere outside items', () => {
    // Act
    const problems = checkGrounding(email({ intro: 'Highlights: SHOP-1 and SHOP-3.' }), scope());

    // Assert
    expect(problems).toEqual([]);
  });

  it('fails an in-scope key named in an item that does not cite it', () => {
    // Arrange
    const draft = email({}, [{ text: 'Checkout, as in SHOP-2, is faster.', issueKeys: ['SHOP-1'] }]);

    // Act
    const problems = checkGrounding(draft, scope());

    // Assert
    expect(problems).toEqual([{ kind: 'uncited_key', field: 'sections[0].items[0]', words: ['SHOP-2'] }]);
  });

  it('fails a cited key that is not in scope', () => {
    // Arrange
    const draft = email({}, [{ text: 'Checkout is faster.', issueKeys: ['SHOP-1', 'SHOP-999'] }]);

    // Act
    const problems = checkGrounding(draft, scope());

    // Assert
    expect(problems).toEqual([{ kind: 'unknown_key', field: 'sections[0].items[0]', words: ['SHOP-999'] }]);
  });

  it('accepts a key-shaped term of another shape that the cited data spells (UTF-8)', () => {
    // Arrange
    const draft = email({}, [{ text: 'Invoices handle UTF-8 names.', issueKeys: ['SHOP-2'] }]);

    // Act / Assert
    expect(checkGrounding(draft, scope())).toEqual([]);
    expect(
      checkGrounding(
        email({}, [{ text: 'Invoices handle ISO-8859 names.', issueKeys: ['SHOP-2'] }]),
        scope(),
      ),
    ).toEqual([{ kind: 'unknown_key', field: 'sections[0].items[0]', words: ['ISO-8859'] }]);
  });

  it('fails invented numbers, percentages, money amounts, versions and dates', () => {
    // Arrange
    const draft = email({}, [
      { text: 'Checkout is 50% faster, costs $5 less, ships in v2.4 on 2025-07-01.', issueKeys: ['SHOP-1'] },
    ]);

    // Act
    const problems = checkGrounding(draft, scope());

    // Assert
    expect(problems).toEqual([
      {
        kind: 'unsupported_number',
        field: 'sections[0].items[0]',
        words: ['50%', '$5', 'v2.4', '2025-07-01'],
      },
    ]);
  });

  it("accepts the cited data's numbers however they are written", () => {
    // Arrange: 40% → 40 %, 2025-06-10 → 10/06/2025 and June 10, 2025, 1,500 → 1500, 2.3.1 → v2.3.1.
    const draft = email({}, [
      {
        text: 'Checkout is 40 % faster (measured 10/06/2025 and June 10, 2025 over 1500 sessions, v2.3.1).',
        issueKeys: ['SHOP-1'],
      },
    ]);

    // Act / Assert
    expect(checkGrounding(draft, scope())).toEqual([]);
  });

  it("accepts the release's own version name and date in an item", () => {
    // Arrange
    const draft = email({}, [
      { text: 'From Shop 5.2 (2026-12-15) checkout is faster.', issueKeys: ['SHOP-1'] },
    ]);

    // Act / Assert
    expect(checkGrounding(draft, scope())).toEqual([]);
  });

  it('reads a day of a backed date only when it is written as a date', () => {
    // Arrange: the release date 2026-12-15 backs "December 15" and "15. Dezember", not "15 times".
    const asDate = email({}, [{ text: 'From December 15 checkout is faster.', issueKeys: ['SHOP-1'] }]);
    const german = email({}, [
      { text: 'Ab 15. Dezember ist der Checkout schneller.', issueKeys: ['SHOP-1'] },
    ]);
    const notADate = email({}, [{ text: 'Checkout is 15 times faster.', issueKeys: ['SHOP-1'] }]);

    // Act / Assert
    expect(checkGrounding(asDate, scope())).toEqual([]);
    expect(checkGrounding(german, scope({ locale: 'de' }))).toEqual([]);
    expect(checkGrounding(notADate, scope())).toEqual([
      { kind: 'unsupported_number', field: 'sections[0].items[0]', words: ['15'] },
    ]);
  });

  it('reads thousands grouped by spaces or no-break spaces as one number', () => {
    // Arrange: the data says 1,500 sessions.
    const french = email({}, [{ text: 'Mesuré sur 1\u202f500 sessions.', issueKeys: ['SHOP-1'] }]);
    const wrong = email({}, [{ text: 'Mesuré sur 2 500 sessions.', issueKeys: ['SHOP-1'] }]);

    // Act / Assert
    expect(checkGrounding(french, scope({ locale: 'fr' }))).toEqual([]);
    expect(checkGrounding(wrong, scope({ locale: 'fr' }))).toEqual([
      { kind: 'unsupported_number', field: 'sections[0].items[0]', words: ['2 500'] },
    ]);
  });

  it("does not read an issue key's digits as a number", () => {
    // Arrange
    const draft = email({}, [{ text: 'SHOP-1: checkout is faster.', issueKeys: ['SHOP-1'] }]);

    // Act / Assert
    expect(checkGrounding(draft, scope())).toEqual([]);
  });

  it('fails a quoted name the cited data does not hold, and accepts one it does', () => {
    // Arrange
    const draft = email({}, [
      { text: 'Checkout uses “Quick Pay” and the new „Turbo Pay“.', issueKeys: ['SHOP-1'] },
    ]);

    // Act
    const problems = checkGrounding(draft, scope());

    // Assert
    expect(problems).toEqual([
      { kind: 'unsupported_name', field: 'sections[0].items[0]', words: ['Turbo Pay'] },
    ]);
  });

  it('checks claims against the cited issues only: a number of another issue is not backed', () => {
    // Arrange: 40% belongs to SHOP-1, the item cites SHOP-2.
    const draft = email({}, [{ text: 'Invoices are 40% faster.', issueKeys: ['SHOP-2'] }]);

    // Act / Assert
    expect(checkGrounding(draft, scope())).toEqual([
      { kind: 'unsupported_number', field: 'sections[0].items[0]', words: ['40%'] },
    ]);
  });

  it('accepts a promise the cited release note makes, in another language too', () => {
    // Arrange
    const draft = email({ intro: 'Shop 5.2 erscheint morgen.' }, [
      { text: 'CSV-Exporte sind in jedem Tarif kostenlos.', issueKeys: ['SHOP-3'] },
    ]);

    // Act / Assert
    expect(checkGrounding(draft, scope({ locale: 'de-DE' }))).toEqual([]);
  });

  it.each([
    [
      'en',
      'Guaranteed unlimited storage, always on, never down.',
      ['Guaranteed', 'unlimited', 'always', 'never'],
    ],
    ['de', 'Kostenlos, für immer und niemals langsam.', ['Kostenlos', 'für immer', 'niemals']],
    ['fr', 'Le paiement est gratuit, illimité et à vie.', ['gratuit', 'illimité', 'à vie']],
    ['es', 'El pago es gratis, ilimitado y para siempre.', ['gratis', 'ilimitado', 'para siempre']],
  ] as const)('fails unbacked promise words in locale %s', (locale, text, words) => {
    // Arrange
    const draft = email({ intro: '' }, [{ text, issueKeys: ['SHOP-1'] }]);

    // Act
    const problems = checkGrounding(draft, scope({ locale }));

    // Assert
    expect(problems).toEqual([
      { kind: 'unbacked_promise', field: 'sections[0].items[0]', words: [...words] },
    ]);
  });

  it('fails an English promise slipped into a German draft', () => {
    // Arrange
    const draft = email({}, [{ text: 'Der Checkout ist jetzt free.', issueKeys: ['SHOP-1'] }]);

    // Act / Assert
    expect(checkGrounding(draft, scope({ locale: 'de' }))).toEqual([
      { kind: 'unbacked_promise', field: 'sections[0].items[0]', words: ['free'] },
    ]);
  });

  it('checks promises outside items against the whole scope', () => {
    // Act
    const backed = checkGrounding(email({ intro: 'Exports are now free.' }), scope());
    const unbacked = checkGrounding(email({ outro: 'Support is unlimited, always.' }), scope());

    // Assert
    expect(backed).toEqual([]);
    expect(unbacked).toEqual([{ kind: 'unbacked_promise', field: 'outro', words: ['unlimited', 'always'] }]);
  });
});
