import { requestTarget } from '../../shared/api/route';
import { enrollmentApi } from '../../shared/api/routes/lifecycle';

/** The one-time link an invitee opens: the platform's own enrollment page at its public origin. */
export function enrollmentLink(origin: string, token: string): string {
  const target = requestTarget(enrollmentApi.page, { query: { token } });
  if (!target.ok) throw new Error('The enrollment route refused its own query');
  return `${origin}${target.value}`;
}
