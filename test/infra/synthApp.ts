import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/buildApp.ts';
import type { HeraldStack } from '../../infra/HeraldStack.ts';

/**
 * Timeout of a hook that synthesises, ms. A whole-app synthesis with cdk-nag takes a few seconds
 * on 2 cores and several times that on a busy machine: far beyond vitest's 10 s hook default.
 */
export const SYNTH_TIMEOUT_MS = 120_000;

/** The account every test template is synthesised for (never a real one). */
export const TEST_ACCOUNT = '123456789012';

/** cdk.json's context (feature flags and defaults), so tests synthesise what `cdk synth` does. */
const cdkJsonContext = (): Record<string, unknown> =>
  (
    JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
      context: Record<string, unknown>;
    }
  ).context;

/** What {@link synthApp} returns. */
export interface SynthesisedApp {
  app: App;
  stacks: HeraldStack[];
  templates: Template[];
}

/**
 * Builds the app exactly as infra/app.ts does, offline: cdk.json's context plus an explicit
 * account, placeholder (inline) code and `overrides`; no credentials, lookups or `dist/` needed.
 * Synthesis runs the cdk-nag checks, so it throws on any unacknowledged finding.
 */
export const synthApp = (overrides: Record<string, unknown> = {}): SynthesisedApp => {
  const app = new App({
    context: { ...cdkJsonContext(), account: TEST_ACCOUNT, placeholderCode: true, ...overrides },
  });
  const stacks = buildApp(app);
  const templates = stacks.map((stack) => Template.fromStack(stack));
  return { app, stacks, templates };
};

/** A template's resources of one type, by logical id. */
export const resourcesOf = (
  template: Template,
  type: string,
): Record<string, { Properties: Record<string, unknown>; [k: string]: unknown }> =>
  template.findResources(type) as Record<string, { Properties: Record<string, unknown> }>;

/** Resource count per type. */
export const countByType = (template: Template): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const resource of Object.values(template.toJSON().Resources as Record<string, { Type: string }>)) {
    counts[resource.Type] = (counts[resource.Type] ?? 0) + 1;
  }
  return counts;
};

/** A CloudFormation value as one string: `{Ref: X}` → `<X>`, `{Fn::GetAtt: [X, Y]}` → `<X.Y>`. */
export const flatten = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if ('Ref' in v) return `<${v.Ref}>`;
  if ('Fn::GetAtt' in v) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Fn::Join' in v) return (v['Fn::Join'] as [string, unknown[]])[1].map(flatten).join('');
  return JSON.stringify(v);
};
