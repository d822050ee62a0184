import type { OrgProfile } from '../profiles';
import type { Story } from '../story';

/**
 * The member lifecycle in each tenant's history: an invitation issued a day or so ago (still pending),
 * an elevation for an afternoon, a suspension and its resumption, a removal the owner turned down, a key
 * hand-over withdrawn, and a device key's revocation rejected. Organization-wide kinds take the live lane
 * wherever they are raised; times differ per environment so that the two histories never collide.
 */
export function lifecycleStories(p: OrgProfile, env: 'test' | 'live'): Story[] {
  const { people: n } = p;
  const shift = env === 'test' ? 0 : 1.3;
  return [
    {
      daysAgo: 31 - shift,
      by: 'admin',
      kind: 'member.suspend',
      title: `Suspend ${n.viewer} during the leave of absence`,
      summary: `${n.viewer} is on leave for two days; the account is paused meanwhile, as HR asked.`,
      payload: ({ refs }) => ({ userId: refs.user('viewer') }),
      steps: [{ after: 1, approve: 'compliance_officer' }],
    },
    {
      daysAgo: 29 - shift,
      by: 'admin',
      kind: 'member.resume',
      title: `Resume ${n.viewer} after the leave`,
      summary: `${n.viewer} is back from leave.`,
      payload: ({ refs }) => ({ userId: refs.user('viewer') }),
      steps: [{ after: 2, approve: 'owner' }],
    },
    {
      daysAgo: 20 - shift,
      by: 'member',
      kind: 'member.elevate',
      title: 'Compliance officer for the afternoon: vendor evidence backlog',
      summary: `${n.compliance_officer} is out; the vendor evidence backlog needs someone who may decide.`,
      payload: {
        role: 'compliance_officer',
        durationMinutes: 240,
        reason: 'Cover the vendor evidence backlog while the compliance officer is out.',
      },
      steps: [{ after: 0.5, approve: 'admin' }],
    },
    {
      daysAgo: 15 - shift,
      by: 'admin',
      kind: 'device_key.revoke',
      title: `Revoke the laptop key of ${n.compliance_officer}`,
      summary: 'Reported lost at the airport.',
      payload: ({ refs }) => ({
        userId: refs.user('compliance_officer'),
        deviceKeyId: refs.deviceKeyId('compliance_officer'),
      }),
      steps: [
        { after: 3, reject: 'owner', reason: 'The laptop was found in the lost-and-found, still locked.' },
      ],
    },
    {
      daysAgo: 12 - shift,
      by: 'admin',
      kind: 'member.remove',
      title: `Remove ${n.auditor} after the audit`,
      summary: 'The external audit has ended.',
      payload: ({ refs }) => ({ userId: refs.user('auditor') }),
      steps: [
        { after: 4, reject: 'owner', reason: 'The auditor stays until the management letter is signed.' },
      ],
    },
    {
      daysAgo: 8 - shift,
      by: 'owner',
      kind: 'api_key.transfer',
      title: 'Hand the ERP connector key to the admin',
      summary: 'The connector becomes the admin team’s responsibility.',
      payload: ({ refs }) => ({ keyId: refs.keyId('erp'), toUserId: refs.user('admin') }),
      steps: [{ after: 1, withdraw: 'owner' }],
    },
    {
      daysAgo: 1.5 - shift / 2,
      by: 'admin',
      kind: 'member.invite',
      title: `Invite a contractor for the ${env} environment's data migration`,
      summary: 'A contractor helps with the data migration for two weeks; read-only.',
      payload: {
        email: `contractor-${env}@${p.slug}.example`,
        role: 'viewer',
        displayName: env === 'test' ? 'Priya Natarajan' : 'Jonas Berg',
      },
      steps: [{ after: 2, approve: 'compliance_officer' }],
    },
  ];
}
