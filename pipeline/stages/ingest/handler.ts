import { sqsStageWiring } from '#stages/shared/sqsStageWiring';
import { processRecord } from './processRecord.ts';

const { env, queue, handlerFor } = sqsStageWiring('ingest');

/** Lambda entry point of the ingest stage (SQS event source on `herald-ingest`). */
export const handler = handlerFor((record, ctx) => processRecord(record, ctx, { queue, env }));
