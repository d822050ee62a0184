import type { Campaign, ReviewItem } from '../../shared/api/reviews';

/**
 * A closed campaign's evidence pack: every item, its snapshot, reviewer, decision, reason and resulting
 * request, as JSON (for tools) and as CSV (for a spreadsheet), with what was left undecided listed.
 */
export const PACK_FORMAT = 'cc-access-review/1';

const csvColumns = [
  'seq',
  'item_id',
  'subject_type',
  'subject_id',
  'subject_name',
  'subject_person_id',
  'environment',
  'snapshot_role',
  'snapshot_scopes',
  'snapshot_last_used_at',
  'unused_90_days',
  'changed_since_snapshot',
  'reviewer_id',
  'reviewer_name',
  'decision',
  'reason',
  'new_role',
  'decided_at',
  'request_id',
  'request_environment',
  'request_status',
] as const;

/** RFC 4180 quoting, and no cell a spreadsheet would run as a formula (a leading =, +, -, @, tab or CR). */
export function csvCell(value: string | number | boolean | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function packFiles(
  organization: string,
  campaign: Campaign,
  items: readonly ReviewItem[],
  names: ReadonlyMap<string, string>,
): { json: Buffer; csv: Buffer } {
  const undecided = items.filter((i) => i.decision === null).map((i) => i.id);
  const json = {
    format: PACK_FORMAT,
    organization,
    campaign: {
      id: campaign.id,
      title: campaign.title,
      covers: campaign.covers,
      reviewers: campaign.reviewers.map((id) => ({ id, name: names.get(id) ?? null })),
      deadline: campaign.deadline,
      createdBy: campaign.createdBy,
      createdAt: campaign.createdAt,
      closedAt: campaign.closedAt,
      closeReason: campaign.closeReason,
      closedBy: campaign.closedBy,
    },
    summary: { ...campaign.progress, undecided: undecided.length },
    undecided,
    items: items.map((i) => ({ ...i, reviewerName: names.get(i.reviewerId) ?? null })),
  };
  const rows = items.map((i) =>
    [
      i.seq,
      i.id,
      i.subject.type,
      i.subject.id,
      i.subject.name,
      i.subject.personId,
      i.subject.environment,
      i.snapshot.role,
      i.snapshot.scopes?.join(' ') ?? null,
      i.snapshot.lastUsedAt,
      i.snapshot.unused90Days,
      i.changedSinceSnapshot,
      i.reviewerId,
      names.get(i.reviewerId) ?? null,
      i.decision ?? 'undecided',
      i.reason,
      i.newRole,
      i.decidedAt,
      i.request?.id ?? null,
      i.request?.environment ?? null,
      i.request?.status ?? null,
    ]
      .map(csvCell)
      .join(','),
  );
  const csv = `${[csvColumns.join(','), ...rows].join('\r\n')}\r\n`;
  return { json: Buffer.from(`${JSON.stringify(json, null, 2)}\n`), csv: Buffer.from(csv) };
}
