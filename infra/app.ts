/**
 * The CDK app (cdk.json `app`): release-herald's stacks from the CDK context, checked with
 * cdk-nag. Run through `npm run synth` or `npx cdk deploy --all`; the context keys are in
 * infra/appContext.ts and docs/DEPLOY.md.
 */
import { App } from 'aws-cdk-lib';
import { buildApp } from './buildApp.ts';

buildApp(new App());
