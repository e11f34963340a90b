/** zod issues as one short message that names the fields at fault, for 400 answers. */
import type * as z from 'zod';

/** At most this many issues in one message: enough to fix a request, short enough to read. */
const MAX_ISSUES_SHOWN = 3;

type Issue = z.core.$ZodIssue;

/**
 * A failed union says only "Invalid input"; when exactly one of its branches got past the value's type (an array
 * of content parts rather than a string, say), that branch's issues say what is wrong, at their full path.
 */
function specificIssues(issue: Issue): Issue[] {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
  const informative = issue.errors.filter((branch) => !branch.every((inner) => inner.code === 'invalid_type' && inner.path.length === 0));
  if (informative.length !== 1) return [issue];
  return informative[0].flatMap((inner) => specificIssues({ ...inner, path: [...issue.path, ...inner.path] } as Issue));
}

/**
 * `field.path: message; …`, e.g. `labels.0: label "a;b" must not contain ";" (it separates labels)`, and the
 * top-level field of the first issue (OpenAI's error body names it as `param`).
 * @example const { message, param } = describeIssues(parsed.error.issues)
 */
export function describeIssues(issues: readonly Issue[]): { message: string; param: string | undefined } {
  const specific = issues.flatMap(specificIssues);
  const message = specific
    .slice(0, MAX_ISSUES_SHOWN)
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
  const first = specific[0]?.path[0];
  return { message, param: first === undefined ? undefined : String(first) };
}
