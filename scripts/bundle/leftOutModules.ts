import { resolve } from 'node:path';
import type { Plugin } from 'esbuild';

/** The OpenAI API resources compose never uses: file under openai/resources, class. */
const OPENAI_RESOURCES = [
  ['admin/admin.mjs', 'Admin'],
  ['audio/audio.mjs', 'Audio'],
  ['batches.mjs', 'Batches'],
  ['beta/beta.mjs', 'Beta'],
  ['completions.mjs', 'Completions'],
  ['containers/containers.mjs', 'Containers'],
  ['conversations/conversations.mjs', 'Conversations'],
  ['embeddings.mjs', 'Embeddings'],
  ['evals/evals.mjs', 'Evals'],
  ['files.mjs', 'Files'],
  ['fine-tuning/fine-tuning.mjs', 'FineTuning'],
  ['graders/graders.mjs', 'Graders'],
  ['images.mjs', 'Images'],
  ['models.mjs', 'Models'],
  ['moderations.mjs', 'Moderations'],
  ['realtime/realtime.mjs', 'Realtime'],
  ['responses/responses.mjs', 'Responses'],
  ['skills/skills.mjs', 'Skills'],
  ['uploads/uploads.mjs', 'Uploads'],
  ['vector-stores/vector-stores.mjs', 'VectorStores'],
  ['videos.mjs', 'Videos'],
  ['webhooks/webhooks.mjs', 'Webhooks'],
] as const;

/** A module a handler bundle leaves out, and why no handler reaches it. */
export interface LeftOutModule {
  /** The import specifier, exactly as the importer writes it. */
  specifier: string;
  /** The importing files (a path pattern); the same specifier elsewhere is bundled as usual. */
  importer: RegExp;
  /** The names the importer reads from it (ES modules); absent for a CommonJS `require`. */
  exports?: readonly string[];
  /**
   * Classes the importer constructs while it loads or sets up (ES modules): `new` succeeds, and
   * the instance throws when anything is read from it.
   */
  classes?: readonly string[];
  /** Why no handler needs it, in the error a call would raise. */
  why: string;
}

/**
 * What the handler bundles leave out, each a capability of a dependency that the handlers never
 * use and that its importer only reaches on a path they do not take. In its place goes a stub whose
 * every export throws, naming the module and this file, when called or read, so leaving one out
 * can only turn a path no handler takes into a clear error, never into a silent difference.
 */
export const LEFT_OUT_MODULES: readonly LeftOutModule[] = [
  // AWS SDK default credential chain: Lambda puts the role's credentials in the environment and
  // the chain's first link (fromEnv, kept) returns them; the links after it, with their STS, SSO
  // and sign-in clients, are about 105 KiB of every bundle. The chain itself (its order, its
  // AWS_PROFILE rule, its memoisation) stays the SDK's.
  ...(
    [
      ['@aws-sdk/credential-provider-sso', 'fromSSO'],
      ['@aws-sdk/credential-provider-ini', 'fromIni'],
      ['@aws-sdk/credential-provider-process', 'fromProcess'],
      ['@aws-sdk/credential-provider-web-identity', 'fromTokenFile'],
    ] as const
  ).map(([specifier, name]) => ({
    specifier,
    importer: /[\\/]@aws-sdk[\\/]credential-provider-node[\\/]dist-es[\\/]defaultProvider\.js$/,
    exports: [name],
    why: 'a handler reads AWS credentials from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), which Lambda sets',
  })),
  {
    specifier: '@aws-sdk/credential-provider-http',
    importer: /[\\/]@aws-sdk[\\/]credential-provider-node[\\/]dist-es[\\/]remoteProvider\.js$/,
    exports: ['fromHttp'],
    why: 'a handler reads AWS credentials from the environment, which Lambda sets',
  },
  {
    specifier: '@smithy/credential-provider-imds',
    importer: /[\\/]@aws-sdk[\\/]credential-provider-node[\\/]dist-es[\\/]remoteProvider\.js$/,
    exports: ['ENV_CMDS_FULL_URI', 'ENV_CMDS_RELATIVE_URI', 'fromContainerMetadata', 'fromInstanceMetadata'],
    why: 'a handler reads AWS credentials from the environment, which Lambda sets',
  },
  // Event streams (about 15 KiB): loaded lazily for operations with a streaming member; no
  // operation of the bundled clients (SQS, DynamoDB, EventBridge, Scheduler, Secrets Manager,
  // SES v2) has one.
  {
    specifier: '@smithy/core/event-streams',
    importer: /[\\/]@smithy[\\/]core[\\/]dist-es[\\/]submodules[\\/]protocols[\\/]HttpProtocol\.js$/,
    exports: ['EventStreamSerde', 'eventStreamSerdeProvider'],
    why: 'no operation of the bundled AWS clients streams events',
  },
  // pino's transports run in worker threads (thread-stream); the handlers log synchronously to
  // stdout through pino.destination (pipeline/shared/logger.ts) and never pass `transport`.
  {
    specifier: './transport',
    importer: /[\\/]node_modules[\\/]pino[\\/]lib[\\/]tools\.js$/,
    why: 'the handlers log to stdout through pino.destination, never through a transport',
  },
  {
    specifier: './lib/transport',
    importer: /[\\/]node_modules[\\/]pino[\\/]pino\.js$/,
    why: 'the handlers log to stdout through pino.destination, never through a transport',
  },
  {
    specifier: './lib/multistream',
    importer: /[\\/]node_modules[\\/]pino[\\/]pino\.js$/,
    why: 'the handlers log to one stream, stdout, never through pino.multistream',
  },
  // nodemailer's file-extension ↔ MIME type table (about 75 KiB) types attachments by file
  // name; the emails carry a text and an HTML part, whose types the composer sets itself.
  {
    specifier: './mime-types.js',
    importer: /[\\/]node_modules[\\/]nodemailer[\\/]dist[\\/]esm[\\/]mime-funcs[\\/]index\.js$/,
    exports: ['detectExtension', 'detectMimeType'],
    why: 'the emails carry no attachments, only a text and an HTML part',
  },
  // nodemailer's HTTP client (nmfetch) fetches content given as an `href` URL. Its ES module
  // imports node:http, whose ES module facade loads Node's bundled undici at import (about 15 ms
  // of every send cold start); send's bodies and headers are strings, never URLs.
  ...[
    /[\\/]node_modules[\\/]nodemailer[\\/]dist[\\/]esm[\\/]shared[\\/]index\.js$/,
    /[\\/]node_modules[\\/]nodemailer[\\/]dist[\\/]esm[\\/]mime-node[\\/]index\.js$/,
  ].map((importer) => ({
    specifier: '../fetch/index.js',
    importer,
    exports: ['default'],
    why: 'the email parts are strings, never content fetched from an href URL',
  })),
  // The OpenAI client's streaming helpers, tool runners, parse helpers and workload-identity
  // auth (about 55 KiB): compose calls chat.completions.create with an API key, which posts and
  // reads the JSON answer without them.
  ...(
    [
      ['../../../lib/ChatCompletionRunner.mjs', 'ChatCompletionRunner'],
      ['../../../lib/ChatCompletionStreamingRunner.mjs', 'ChatCompletionStreamingRunner'],
      ['../../../lib/ChatCompletionStream.mjs', 'ChatCompletionStream'],
    ] as const
  ).map(([specifier, name]) => ({
    specifier,
    importer: /[\\/]node_modules[\\/]openai[\\/]resources[\\/]chat[\\/]completions[\\/]completions\.mjs$/,
    exports: [name],
    why: 'compose calls chat.completions.create only (no stream(), runTools())',
  })),
  {
    specifier: '../../../lib/parser.mjs',
    importer: /[\\/]node_modules[\\/]openai[\\/]resources[\\/]chat[\\/]completions[\\/]completions\.mjs$/,
    exports: ['parseChatCompletion', 'validateInputTools'],
    why: 'compose calls chat.completions.create only (no parse())',
  },
  {
    specifier: '../../lib/ResponsesParser.mjs',
    importer: /[\\/]node_modules[\\/]openai[\\/]resources[\\/]responses[\\/]responses\.mjs$/,
    exports: ['addOutputText', 'parseResponse'],
    why: 'compose calls chat.completions.create only (not the Responses API)',
  },
  {
    specifier: './auth/workload-identity-auth.mjs',
    importer: /[\\/]node_modules[\\/]openai[\\/]client\.mjs$/,
    exports: ['WorkloadIdentityAuth'],
    why: 'compose authenticates with an API key (the client builds this only for a workloadIdentity option)',
  },
  {
    specifier: '../../lib/responses/ResponseStream.mjs',
    importer: /[\\/]node_modules[\\/]openai[\\/]resources[\\/]responses[\\/]responses\.mjs$/,
    exports: ['ResponseStream'],
    why: 'compose calls chat.completions.create only (no responses.stream())',
  },
  ...(
    [
      ['../../../lib/AssistantStream.mjs', /[\\/]resources[\\/]beta[\\/]threads[\\/]threads\.mjs$/],
      ['../../../../lib/AssistantStream.mjs', /[\\/]resources[\\/]beta[\\/]threads[\\/]runs[\\/]runs\.mjs$/],
    ] as const
  ).map(([specifier, importer]) => ({
    specifier,
    importer,
    exports: ['AssistantStream'],
    why: 'compose calls chat.completions.create only (no Assistants streams)',
  })),
  // The OpenAI client's API resources other than chat (about 45 KiB). The client constructs every
  // resource (client.admin, client.files, …), so these stubs construct without a word, and their
  // instances throw when used; compose only ever reads client.chat.
  ...OPENAI_RESOURCES.flatMap(([file, name]) =>
    [
      [`./resources/${file}`, /[\\/]node_modules[\\/]openai[\\/]client\.mjs$/],
      [
        `./${file === 'webhooks/webhooks.mjs' ? 'webhooks.mjs' : file}`,
        /[\\/]node_modules[\\/]openai[\\/]resources[\\/]index\.mjs$/,
      ],
    ].map(([specifier, importer]) => ({
      specifier: specifier as string,
      importer: importer as RegExp,
      classes: [name],
      why: 'compose calls chat.completions.create only (no other OpenAI API)',
    })),
  ),
];

const NAMESPACE = 'left-out';

/** The module every stub imports its one helper from (shared, so each stub adds a line or two). */
const RUNTIME = 'left-out:runtime';

/**
 * `leftOut(failure, name)`: a stand-in that throws `name: failure` when called, constructed or
 * read; symbols and `then` answer undefined, so that awaiting or inspecting it does not throw.
 */
const RUNTIME_SOURCE = [
  'const fail = (what, failure) => { throw new Error(what + ": " + failure); };',
  'export const leftOut = (failure, name) => new Proxy(function () {}, {',
  '  apply: () => fail(name, failure),',
  '  construct: () => fail(name, failure),',
  '  get: (_, key) => (typeof key === "symbol" || key === "then" ? undefined : fail(name + "." + String(key), failure)),',
  '});',
  'export const inertClass = (failure, name) => class { constructor() { return leftOut(failure, name); } };',
].join('\n');

/** The source of the stub that replaces `module`. */
const stubSource = (module: LeftOutModule): string => {
  const failure = JSON.stringify(
    `${module.specifier} is left out of this handler bundle: ${module.why} (scripts/bundle/leftOutModules.ts)`,
  );
  if (!module.exports && !module.classes) {
    return `const { leftOut } = require(${JSON.stringify(RUNTIME)});\nmodule.exports = leftOut(${failure}, ${JSON.stringify(module.specifier)});`;
  }
  return [
    `import { inertClass, leftOut } from ${JSON.stringify(RUNTIME)};`,
    `const failure = ${failure};`,
    ...(module.exports ?? []).map((name) =>
      name === 'default'
        ? 'export default leftOut(failure, "default");'
        : `export const ${name} = leftOut(failure, ${JSON.stringify(name)});`,
    ),
    ...(module.classes ?? []).map(
      (name) => `export const ${name} = inertClass(failure, ${JSON.stringify(name)});`,
    ),
  ].join('\n');
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * An esbuild plugin that replaces each of `modules` (default {@link LEFT_OUT_MODULES}) by a stub
 * when its importer imports it. A build fails when an importer is in a bundle but its import no
 * longer matches (a dependency update renamed it): the table must then be brought up to date.
 */
export const leftOutModules = (modules: readonly LeftOutModule[] = LEFT_OUT_MODULES): Plugin => ({
  name: 'left-out-modules',
  setup(build) {
    const matched = new Set<LeftOutModule>();
    const specifiers = [...new Set(modules.map((m) => m.specifier)), RUNTIME];
    build.onStart(() => matched.clear());
    build.onResolve({ filter: new RegExp(`^(${specifiers.map(escapeRegExp).join('|')})$`) }, (args) => {
      if (args.path === RUNTIME) return { path: 'runtime', namespace: NAMESPACE };
      const module = modules.find((m) => m.specifier === args.path && m.importer.test(args.importer));
      if (!module) return undefined;
      matched.add(module);
      return { path: String(modules.indexOf(module)), namespace: NAMESPACE };
    });
    build.onLoad({ filter: /./, namespace: NAMESPACE }, (args) => {
      if (args.path === 'runtime') return { contents: RUNTIME_SOURCE, loader: 'js' };
      const module = modules[Number(args.path)];
      return module ? { contents: stubSource(module), loader: 'js' } : undefined;
    });
    build.onEnd((result) => {
      // Metafile inputs are relative to the working directory; importers are matched absolute.
      const cwd = build.initialOptions.absWorkingDir ?? process.cwd();
      const inputs = Object.keys(result.metafile?.inputs ?? {}).map((input) => resolve(cwd, input));
      const stale = modules.filter(
        (module) => !matched.has(module) && inputs.some((input) => module.importer.test(input)),
      );
      // Thrown, not pushed onto result.errors: esbuild fails a build on an onEnd throw only.
      if (stale.length > 0) {
        throw new Error(
          stale
            .map(
              (m) =>
                `${m.specifier} is no longer imported as listed (importer ${m.importer}): update scripts/bundle/leftOutModules.ts`,
            )
            .join('\n'),
        );
      }
    });
  },
});
