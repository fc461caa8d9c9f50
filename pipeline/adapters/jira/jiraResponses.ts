import * as z from 'zod';
import { jiraDate, jiraId } from '#contracts/jiraVersionWebhook';

// Tolerant shapes of the three Jira answers the adapter reads: unknown fields are kept and
// ignored, null is read as absent, and only what the pipeline needs is required.

const absent = <S extends z.ZodType>(schema: S) => schema.nullish().transform((value) => value ?? undefined);

/** `GET /rest/api/3/version/{id}`. */
export const jiraVersionResponse = z.looseObject({
  id: jiraId,
  name: z.string(),
  description: absent(z.string()).catch(undefined),
  releaseDate: absent(jiraDate),
  released: absent(z.boolean()),
  archived: absent(z.boolean()),
  projectId: absent(jiraId).catch(undefined),
});

/** `GET /rest/api/3/project/{projectIdOrKey}`. */
export const jiraProjectResponse = z.looseObject({
  id: jiraId,
  key: z.string().min(1),
  name: z.string(),
});

/** `POST /rest/api/3/search/jql`; issues are checked one by one with {@link jiraSearchIssue}. */
export const jiraSearchResponse = z.looseObject({
  issues: absent(z.array(z.unknown())),
  nextPageToken: absent(z.string()),
  isLast: absent(z.boolean()),
});

/** One issue of a search page; `fields` values are read defensively by the adapter. */
export const jiraSearchIssue = z.looseObject({
  key: z.string(),
  fields: absent(z.record(z.string(), z.unknown())),
});

/** `POST /rest/api/3/jql/parse`: per query its structure or its errors. */
export const jiraJqlParseResponse = z.looseObject({
  queries: z.array(
    z.looseObject({
      query: z.string(),
      errors: absent(z.array(z.string())),
    }),
  ),
});
