import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildMessages } from '#adapters/llm/prompt';
import { llmEmail } from '#contracts/emailDraft';
import { type OpenAiStandIn, startOpenAiStandIn, UNKNOWN_ISSUE_KEY } from '#test/standins/OpenAiStandIn';

const HOSTILE = '<img src=x onerror=alert(1)> Visit https://evil.example now';

const messages = (summary = 'Export to CSV') =>
  buildMessages({
    projectName: 'Acme',
    versionName: 'v2',
    pointKind: 'on_release',
    locale: 'de-DE',
    issues: [
      { key: 'ABC-1', summary, issueType: 'Story' },
      { key: 'ABC-2', summary: 'Fix login', issueType: 'Bug' },
    ],
  });

interface Completion {
  model: string;
  choices: Array<{ message: { content: string | null; refusal: string | null }; finish_reason: string }>;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

describe('Function: startOpenAiStandIn', () => {
  let openai: OpenAiStandIn;

  beforeAll(async () => {
    openai = await startOpenAiStandIn({ apiKey: 'sk-test' });
  });

  afterEach(() => {
    openai.reset();
  });

  afterAll(async () => {
    await openai.close();
  });

  const complete = (body: unknown, key = 'sk-test') =>
    fetch(`${openai.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const answer = async (summary?: string) => {
    const completion = (await (
      await complete({ model: 'gpt-test', messages: messages(summary) })
    ).json()) as Completion;
    return { completion, email: JSON.parse(completion.choices[0]?.message.content ?? 'null') };
  };

  it('answers 401 without the right bearer token', async () => {
    // act
    const response = await complete({ model: 'm', messages: [] }, 'sk-other');

    // assert
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_api_key' } });
  });

  it('answers a chat.completion with a valid email citing the prompt keys, grouped by type', async () => {
    // act
    const { completion, email } = await answer();

    // assert
    expect(completion).toMatchObject({ model: 'gpt-test', choices: [{ finish_reason: 'stop' }] });
    expect(completion.usage.total_tokens).toBe(
      completion.usage.prompt_tokens + completion.usage.completion_tokens,
    );
    // The prompt asks for de-DE: every sentence of the stand-in's own is German.
    expect(llmEmail.parse(email)).toEqual({
      subject: 'Acme v2: jetzt verfügbar',
      preheader: '2 Änderungen in v2',
      intro: 'Das ist neu in v2 von Acme.',
      sections: [
        { heading: 'Neue Funktionen', items: [{ text: 'Export to CSV.', issueKeys: ['ABC-1'] }] },
        { heading: 'Fehlerbehebungen', items: [{ text: 'Fix login.', issueKeys: ['ABC-2'] }] },
      ],
      outro: 'Vielen Dank für die gute Zusammenarbeit.',
    });
    expect(openai.calls.last).toMatchObject({
      locale: 'de-DE',
      issueKeys: ['ABC-1', 'ABC-2'],
      mode: 'valid',
    });
  });

  const ask = async (request: Partial<Parameters<typeof buildMessages>[0]>) => {
    const body = {
      model: 'gpt-test',
      messages: buildMessages({
        projectName: 'Demo Shop',
        versionName: 'Release 1.0',
        pointKind: 'before',
        daysBefore: 7,
        locale: 'en',
        issues: [
          { key: 'DEMO-1', summary: 'Checkout remembers the address.', issueType: 'Story' },
          {
            key: 'DEMO-2',
            summary: 'Search is faster in 2.4.1, not at 10.0.0.1 or evil.example',
            issueType: 'Task',
          },
          { key: 'DEMO-3', summary: 'Cart total fixed', issueType: 'Bug' },
        ],
        ...request,
      }),
    };
    const completion = (await (await complete(body)).json()) as Completion;
    return llmEmail.parse(JSON.parse(completion.choices[0]?.message.content ?? 'null'));
  };

  it('writes a well-formed English email: no locale prefix, version dots kept, one full stop per item', async () => {
    // act
    const email = await ask({});

    // assert
    expect(email).toEqual({
      subject: 'Demo Shop Release 1.0: coming soon',
      preheader: '3 changes in Release 1.0',
      intro: 'Here is what is coming in Release 1.0 of Demo Shop.',
      sections: [
        {
          heading: 'New features',
          items: [{ text: 'Checkout remembers the address.', issueKeys: ['DEMO-1'] }],
        },
        {
          heading: 'Improvements',
          items: [
            { text: 'Search is faster in 2.4.1, not at 10 0 0 1 or evil example.', issueKeys: ['DEMO-2'] },
          ],
        },
        { heading: 'Fixes', items: [{ text: 'Cart total fixed.', issueKeys: ['DEMO-3'] }] },
      ],
      outro: 'Thank you for working with us.',
    });
  });

  it.each([
    [
      'de',
      'Demo Shop Release 1.0: bald verfügbar',
      'Das kommt mit Release 1.0 von Demo Shop.',
      'Neue Funktionen',
    ],
    [
      'de-AT',
      'Demo Shop Release 1.0: bald verfügbar',
      'Das kommt mit Release 1.0 von Demo Shop.',
      'Neue Funktionen',
    ],
    [
      'fr',
      'Demo Shop Release 1.0: bientôt disponible',
      'Voici ce qui arrive dans Release 1.0 de Demo Shop.',
      'Nouvelles fonctionnalités',
    ],
    [
      'es',
      'Demo Shop Release 1.0: disponible pronto',
      'Esto es lo que llega en Release 1.0 de Demo Shop.',
      'Novedades',
    ],
    [
      'ja',
      'Demo Shop Release 1.0: coming soon',
      'Here is what is coming in Release 1.0 of Demo Shop.',
      'New features',
    ],
  ])('writes its own sentences in the language of locale %s', async (locale, subject, intro, heading) => {
    // act
    const email = await ask({ locale });

    // assert
    expect(email.subject).toBe(subject);
    expect(email.intro).toBe(intro);
    expect(email.sections[0]?.heading).toBe(heading);
    expect(JSON.stringify(email)).not.toContain(`[${locale}]`);
  });

  it('answers the same prompt with the same email every time', async () => {
    expect(await ask({ locale: 'de' })).toEqual(await ask({ locale: 'de' }));
  });

  it('keeps hostile text out of item texts by default and copies it verbatim in echoInjection', async () => {
    // act
    const tame = await answer(HOSTILE);
    openai.mode = 'echoInjection';
    const echoed = await answer(HOSTILE);

    // assert
    expect(tame.email.sections[0].items[0].text).not.toMatch(/[<>/]|evil\.example/);
    expect(echoed.email.sections[0].items[0].text).toBe(HOSTILE);
  });

  it('cites an unknown key in citeUnknownKeys, and one-shot modes come first', async () => {
    // arrange
    openai.enqueueModes('citeUnknownKeys', 'invalidJson');

    // act
    const unknown = await answer();
    const broken = await (await complete({ model: 'm', messages: messages() })).json();
    const back = await answer();

    // assert
    expect(unknown.email.sections[0].items[0].issueKeys).toEqual(['ABC-1', UNKNOWN_ISSUE_KEY]);
    expect(() => JSON.parse((broken as Completion).choices[0]?.message.content ?? '')).toThrow(SyntaxError);
    expect(llmEmail.safeParse(back.email).success).toBe(true);
    expect(openai.calls.list.map((c) => c.mode)).toEqual(['citeUnknownKeys', 'invalidJson', 'valid']);
  });

  it('answers a refusal with no content', async () => {
    // arrange
    openai.mode = 'refusal';

    // act
    const { completion } = await answer();

    // assert
    expect(completion.choices[0]?.message).toMatchObject({ content: null, refusal: expect.any(String) });
  });

  it('counts faulted calls but does not answer them', async () => {
    // arrange
    openai.faults.enqueue({ status: 429, retryAfterSeconds: 2 });

    // act
    const limited = await complete({ model: 'm', messages: messages() });
    await answer();

    // assert
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(await limited.json()).toMatchObject({ error: { type: 'requests', code: 'rate_limit_exceeded' } });
    expect(openai.calls.count).toBe(2);
    expect(openai.calls.answered).toBe(1);
  });

  it('rejects a body that is not JSON or has no model with 400', async () => {
    // act
    const notJson = await fetch(`${openai.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-test' },
      body: '{',
    });
    const noModel = await complete({ messages: [] });

    // assert
    expect([notJson.status, noModel.status]).toEqual([400, 400]);
  });
});
