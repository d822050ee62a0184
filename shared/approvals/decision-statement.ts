import canonicalize from 'canonicalize';

/**
 * What an approver's device key signs: the request, the decision, and hashes of exactly the payload,
 * evidence and comment they saw. The platform rebuilds it from its own records and checks the signature,
 * and the audit entry carries it, so anyone can check later that this key approved exactly this.
 */
export interface DecisionStatement {
  readonly requestId: string;
  readonly decision: 'approve' | 'reject';
  /** SHA-256 (hex) of the request's canonical payload. */
  readonly payloadHash: string;
  /** SHA-256 (hex) of each evidence file attached to the request, sorted. */
  readonly evidenceHashes: readonly string[];
  /** SHA-256 (hex) of the comment's UTF-8 bytes (of the empty string when there is none). */
  readonly commentHash: string;
  /** RFC 3339 time of the decision, as the signer states it. */
  readonly decidedAt: string;
}

export function decisionStatementBytes(statement: DecisionStatement): Uint8Array {
  const text = canonicalize({ ...statement, evidenceHashes: [...statement.evidenceHashes].sort() });
  if (text === undefined) throw new Error('Decision statement is not serializable');
  return new TextEncoder().encode(text);
}
