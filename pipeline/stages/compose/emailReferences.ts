import { LINK_TEMPLATE_KEY, type ReferenceMode } from '#contracts/emailPresentation';

/**
 * What a rendered email shows of the issue keys its items cite: a client policy's mode
 * (`none`, `keys`, or `links` through its validated https `linkTemplate`), or `jira`, the staff
 * view for reviewers, which links each key to `<jira site>/browse/<KEY>`. A policy can never
 * choose `jira`: client emails never link into the Jira site.
 */
export type EmailReferences =
  | { mode: Exclude<ReferenceMode, 'links'> }
  | { mode: 'links'; linkTemplate: string }
  | { mode: 'jira' };

/**
 * The link of one issue key, or undefined when the mode links nothing. `key` must already match
 * the Jira key pattern (letters, digits, `_` and `-`), so it needs no URL encoding.
 * @param browse `<jira site>/browse/`, used by mode `jira` only.
 */
export const referenceHref = (
  references: EmailReferences,
  key: string,
  browse: string,
): string | undefined => {
  switch (references.mode) {
    case 'links':
      return references.linkTemplate.replaceAll(LINK_TEMPLATE_KEY, key);
    case 'jira':
      return `${browse}${key}`;
    default:
      return undefined;
  }
};
