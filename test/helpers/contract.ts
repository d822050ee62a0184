import type { ContractReply } from '../../shared/contract/contract';

/** The value of a contract reply that must have succeeded; a failure fails the test with its code. */
// biome-ignore lint/suspicious/noExplicitAny: tests read reply values field by field
export function valueIn(reply: ContractReply): any {
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.value;
}
