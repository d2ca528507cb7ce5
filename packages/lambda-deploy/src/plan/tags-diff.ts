import { MANAGED_TAGS_KEY } from '../config/function-settings-reader';

export interface TagsDiff {
  /** Tags to add or overwrite (TagResource), the record of managed keys included when it changes. */
  set: Record<string, string>;
  /** Keys the repo managed before and no longer declares (UntagResource). */
  remove: string[];
  /** `tags +team ~cost-center -old`. */
  diff?: string;
}

/** The tags a new function is created with: the declared ones plus the record of which keys are the repo's. */
export function tagsForCreate(want: Record<string, string> | undefined): Record<string, string> | undefined {
  return want && { ...want, [MANAGED_TAGS_KEY]: managedRecord(want) };
}

/**
 * Tags the repo manages: those `tags` declares, and those it declared at the last deploy (listed in the
 * MANAGED_TAGS_KEY tag), so a key dropped from the file is removed while tags set by anyone else (a
 * stack, a cost tool) are never touched. Without `tags` in the file, tags are not managed at all.
 */
export function diffTags(want: Record<string, string> | undefined, have: Record<string, string>): TagsDiff {
  if (!want) return { set: {}, remove: [] };
  const before = (have[MANAGED_TAGS_KEY] ?? '').split(' ').filter(Boolean);
  const set: Record<string, string> = {};
  const words: string[] = [];
  for (const key of Object.keys(want).sort()) {
    if (have[key] === want[key]) continue;
    set[key] = want[key];
    words.push(`${key in have ? '~' : '+'}${key}`);
  }
  const remove = before.filter((key) => !(key in want) && key in have).sort();
  words.push(...remove.map((key) => `-${key}`));
  const record = managedRecord(want);
  if (have[MANAGED_TAGS_KEY] !== record) set[MANAGED_TAGS_KEY] = record;
  return { set: words.length || Object.keys(set).length ? set : {}, remove, diff: words.length ? `tags ${words.join(' ')}` : undefined };
}

function managedRecord(tags: Record<string, string>): string {
  return Object.keys(tags).sort().join(' ');
}
