import { DEFAULT_FROM_NAME_SUFFIX } from '#contracts/emailPresentation';
import type { SendPolicy } from '#contracts/sendPolicy';
import { singleLine, truncate } from '#shared/text';
import type { EmailReferences } from './emailReferences.ts';

/** Longest From display name, characters (the policy's own limit). */
const MAX_FROM_NAME_LENGTH = 100;

/** How a project's client emails look beyond their content: references, sender and footer. */
export interface EmailPresentation {
  /** What the bodies show of cited issue keys. */
  references: EmailReferences;
  /** Last footer line of both parts (company name, postal address); absent: none. */
  footerLine?: string | undefined;
  /** From display name. */
  fromName: string;
  /** Reply-To address; absent: none. */
  replyTo?: string | undefined;
}

/**
 * The presentation of a project's client emails from its send policy: the policy's reference
 * mode (default `none`), its footer line, its Reply-To, and its From display name, by default
 * the Jira project name + " releases" (`Demo Shop releases`), one line, at most 100 characters.
 */
export const emailPresentationOf = (policy: SendPolicy, projectName: string): EmailPresentation => {
  const references: EmailReferences =
    policy.references === 'links' && policy.linkTemplate !== undefined
      ? { mode: 'links', linkTemplate: policy.linkTemplate }
      : // A `links` policy without a template cannot be stored; fall back to plain keys if one is read.
        { mode: policy.references === 'links' ? 'keys' : policy.references };
  const fromName =
    policy.sender.fromName ??
    truncate(singleLine(`${singleLine(projectName)}${DEFAULT_FROM_NAME_SUFFIX}`), MAX_FROM_NAME_LENGTH);
  return {
    references,
    footerLine: policy.sender.footer,
    fromName,
    replyTo: policy.sender.replyTo,
  };
};
