import type { SeededRandom } from './random';

/** A word list written as comma-separated text: word lists read better as prose than as columns. */
function list(text: string): ReadonlyArray<string> {
  return text
    .trim()
    .split(',')
    .map((word) => word.replace(/\s+/g, ' ').trim())
    .filter((word) => word.length > 0);
}

/** A subject area of demo documents; each collection of the demo is one topic. */
export interface DemoTopic {
  /** Collection id and folder name. */
  readonly id: string;
  /** Collection name as a person reads it. */
  readonly name: string;
  readonly nouns: ReadonlyArray<string>;
  readonly adjectives: ReadonlyArray<string>;
  readonly verbs: ReadonlyArray<string>;
  /** Title patterns; `{noun}`, `{noun2}`, `{adj}` and `{verb}` are filled in. */
  readonly titles: ReadonlyArray<string>;
  readonly sections: ReadonlyArray<string>;
}

/** The demo's topics, in the order collections are created. */
export const DEMO_TOPICS: ReadonlyArray<DemoTopic> = [
  {
    id: 'engineering-handbook',
    name: 'Engineering handbook',
    nouns: list(`
      deployment, pipeline, service, container, cluster, rollback, cache, queue, schema,
      migration, endpoint, build, branch, release, dependency, latency, runbook, alert,
      dashboard, database, replica, load balancer, feature flag, test suite, code review,
      staging environment, health check, retry policy
    `),
    adjectives: list(`
      canary, blue-green, stateless, idempotent, flaky, containerised, nightly,
      backward-compatible, horizontal, read-only, degraded, zero-downtime
    `),
    verbs: list(`
      deploy, roll back, scale, profile, migrate, merge, cache, retry, rebuild, tag
    `),
    titles: list(`
      Runbook: how to {verb} a {adj} {noun}, {noun} guidelines for the platform team, Designing
      a {adj} {noun}, Postmortem: {noun} outage during the {noun2} rollout, Checklist before you
      {verb} the {noun}, How we {verb} the {noun} without downtime
    `),
    sections: list(`
      Overview, Prerequisites, Steps, Rollback, Monitoring, Known issues, Ownership
    `),
  },
  {
    id: 'security-policies',
    name: 'Security policies',
    nouns: list(`
      vulnerability, patch, credential, audit log, encryption key, incident, firewall rule,
      phishing report, access review, certificate, password policy, security token, endpoint
      agent, data classification, threat model, penetration test, backup tape, privileged
      account, VPN profile, retention rule
    `),
    adjectives: list(`
      critical, confidential, encrypted, expired, multi-factor, least-privilege, compromised,
      quarterly, mandatory, externally facing, restricted
    `),
    verbs: list(`
      rotate, revoke, audit, encrypt, escalate, classify, patch, approve, report, contain
    `),
    titles: [
      'Policy: {adj} {noun} handling',
      'Standard for how to {verb} a {noun}',
      'Incident response: {adj} {noun}',
      'Annual review of the {noun} process',
      'Guideline: who may {verb} a {noun2}',
    ],
    sections: list(`
      Purpose, Scope, Policy, Responsibilities, Exceptions, Enforcement, Review cycle
    `),
  },
  {
    id: 'product-research',
    name: 'Product research',
    nouns: list(`
      customer interview, feature request, roadmap, persona, churn rate, onboarding flow,
      pricing tier, survey, usability test, prototype, retention cohort, activation metric,
      competitor, user journey, beta programme, support backlog, net promoter score
    `),
    adjectives: list(`
      qualitative, early-stage, enterprise, self-serve, mobile, recurring, underserved,
      high-intent, seasonal, experimental
    `),
    verbs: list(`
      interview, prioritise, validate, measure, segment, prototype, launch, compare
    `),
    titles: [
      'Research notes: {adj} {noun}',
      'What we learned from the {noun} study',
      'Proposal to {verb} the {noun}',
      '{noun} findings, second round',
      'Synthesis: {adj} users and the {noun2}',
    ],
    sections: list(`
      Summary, Method, Participants, Findings, Recommendations, Open questions
    `),
  },
  {
    id: 'customer-support',
    name: 'Customer support',
    nouns: list(`
      ticket, refund, escalation, account, password reset, invoice, shipment, subscription,
      warranty claim, chat transcript, macro, service level, order, return label, billing
      address, loyalty credit
    `),
    adjectives: list(`
      urgent, duplicate, overdue, partial, premium, first-contact, unresolved, automated
    `),
    verbs: ['refund', 'escalate', 'close', 'merge', 'reassign', 'verify', 'reopen', 'credit'],
    titles: [
      'Macro: how to {verb} a {adj} {noun}',
      'Support playbook for {noun} requests',
      'FAQ: {noun} and {noun2}',
      'When to {verb} an {adj} {noun}',
    ],
    sections: ['When to use', 'Steps', 'Templates', 'Edge cases', 'Escalation path'],
  },
  {
    id: 'finance-reports',
    name: 'Finance reports',
    nouns: list(`
      revenue, forecast, gross margin, budget, expense report, ledger, accrual, cash flow,
      purchase order, vendor contract, headcount plan, variance, invoice run, tax filing,
      capital expense
    `),
    adjectives: list(`
      quarterly, annual, consolidated, audited, projected, deferred, recurring, one-off
    `),
    verbs: ['reconcile', 'forecast', 'approve', 'accrue', 'allocate', 'close', 'report', 'audit'],
    titles: [
      '{adj} {noun} summary',
      'How finance will {verb} the {noun}',
      'Q{quarter} {noun} review',
      'Notes on the {adj} {noun2}',
    ],
    sections: ['Highlights', 'Detail', 'Assumptions', 'Risks', 'Next steps'],
  },
  {
    id: 'legal-contracts',
    name: 'Legal contracts',
    nouns: list(`
      agreement, clause, liability cap, indemnity, termination notice, confidentiality term,
      data processing addendum, renewal, governing law, service level credit, amendment,
      non-disclosure agreement, licence grant, audit right
    `),
    adjectives: list(`
      mutual, exclusive, perpetual, standard, negotiated, auto-renewing, binding, limited
    `),
    verbs: ['negotiate', 'terminate', 'renew', 'amend', 'sign', 'review', 'redline', 'enforce'],
    titles: [
      'Template: {adj} {noun}',
      'Playbook for when to {verb} an {noun}',
      'Commentary on the {noun} clause',
      '{noun} fallback positions',
    ],
    sections: ['Background', 'Standard position', 'Fallbacks', 'Red flags', 'Approvals'],
  },
];

const determiners = ['the', 'each', 'every', 'this', 'our', 'the', 'the', 'a'];
const generalNouns = list(`
  team, process, system, report, owner, request, change, review, version, user, schedule,
  result, decision, workflow, meeting, project, record, issue, step, template, summary, draft,
  manager, budget, deadline, policy, region, partner
`);
const generalAdjectives = list(`
  new, current, internal, external, weekly, shared, local, previous, manual, automated,
  detailed, reliable, approved, pending, simple, complete, regional
`);
const generalVerbs = list(`
  review, update, require, track, describe, approve, replace, protect, measure, reduce, improve,
  support, document, validate, schedule, monitor, record, explain, define, limit, publish,
  share, check, prepare, confirm
`);
const adverbs = list(`
  Usually, In most cases, Since last year, By default, In practice, Where possible, As a rule
`);
const modals = ['should', 'must', 'can', 'may', 'will'];
const negatedModals = ['should not', 'must not', 'cannot', 'may not', 'will not'];
const clauses = list(`
  before the release is approved, when the owner is unavailable, unless the request is urgent,
  after the quarterly review, so that the team can respond quickly, while the change is still in
  progress, once the checklist is complete, if the numbers do not add up, as described in the
  previous section, to keep the audit trail complete
`);
const phrases = list(`
  for every new customer, across all regions, during the first week, in the shared folder, with
  the help of the on-call engineer, at the end of each month, without waiting for a ticket, for
  the second time this quarter, in line with the current policy
`);

/** Given names for people in demo text. */
export const FIRST_NAMES: ReadonlyArray<string> = list(`
  Ada, Ben, Chloe, Daniel, Elena, Farid, Grace, Hiro, Ines, Jonas, Kara, Liam, Maya, Noah, Olga,
  Priya, Quentin, Rosa, Samir, Tess, Umar, Vera, Wei, Yara, Zoe
`);

/** Family names for people in demo text. */
export const LAST_NAMES: ReadonlyArray<string> = list(`
  Adams, Berg, Costa, Dubois, Eriksen, Fischer, Garcia, Hughes, Ito, Jensen, Kowalski, Larsen,
  Moreau, Nakamura, Okafor, Patel, Quinn, Rossi, Silva, Tanaka, Usman, Varga, Weber, Young,
  Zimmer
`);

/** Third person singular of an English verb phrase ("roll back" → "rolls back"). */
export function thirdPerson(verb: string): string {
  const [head = verb, ...rest] = verb.split(' ');
  let inflected: string;
  if (/(s|sh|ch|x|z|o)$/.test(head)) inflected = `${head}es`;
  else if (/[^aeiou]y$/.test(head)) inflected = `${head.slice(0, -1)}ies`;
  else inflected = `${head}s`;
  return [inflected, ...rest].join(' ');
}

/** The text with its first letter in upper case. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A lowercase, dash-separated file-name form of a title. */
export function slugify(text: string, maxLength = 60): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, maxLength).replace(/-+$/, '');
}

function noun(rng: SeededRandom, topic: DemoTopic): string {
  return rng.chance(0.6) ? rng.pick(topic.nouns) : rng.pick(generalNouns);
}

function adjective(rng: SeededRandom, topic: DemoTopic): string {
  return rng.chance(0.5) ? rng.pick(topic.adjectives) : rng.pick(generalAdjectives);
}

function verb(rng: SeededRandom, topic: DemoTopic): string {
  return rng.chance(0.5) ? rng.pick(topic.verbs) : rng.pick(generalVerbs);
}

function nounPhrase(rng: SeededRandom, topic: DemoTopic): string {
  const head = noun(rng, topic);
  const withAdjective = rng.chance(0.45) ? `${adjective(rng, topic)} ${head}` : head;
  let det = rng.pick(determiners);
  if (det === 'a' && /^[aeiou]/.test(withAdjective)) det = 'an';
  return `${det} ${withAdjective}`;
}

/** One English-looking sentence about the topic. */
export function sentence(rng: SeededRandom, topic: DemoTopic): string {
  switch (rng.int(0, 5)) {
    case 0:
      return `${capitalize(nounPhrase(rng, topic))} ${thirdPerson(verb(rng, topic))} ${nounPhrase(rng, topic)} ${rng.pick(phrases)}.`;
    case 1:
      return `${rng.pick(adverbs)}, ${nounPhrase(rng, topic)} ${thirdPerson(verb(rng, topic))} ${nounPhrase(rng, topic)} ${rng.pick(clauses)}.`;
    case 2:
      return `When ${nounPhrase(rng, topic)} ${thirdPerson(verb(rng, topic))} ${nounPhrase(rng, topic)}, ${nounPhrase(rng, topic)} ${rng.pick(modals)} ${verb(rng, topic)} ${nounPhrase(rng, topic)}.`;
    case 3:
      return `Note that ${nounPhrase(rng, topic)} ${rng.pick(modals)} ${verb(rng, topic)} ${nounPhrase(rng, topic)} ${rng.pick(clauses)}.`;
    case 4:
      return `${capitalize(nounPhrase(rng, topic))} ${rng.pick(negatedModals)} ${verb(rng, topic)} ${nounPhrase(rng, topic)} ${rng.pick(phrases)}.`;
    default:
      return `${capitalize(rng.pick(FIRST_NAMES))} ${thirdPerson(verb(rng, topic))} ${nounPhrase(rng, topic)} ${rng.pick(clauses)}, and ${nounPhrase(rng, topic)} ${thirdPerson(verb(rng, topic))} ${nounPhrase(rng, topic)}.`;
  }
}

/** A paragraph of `count` sentences. */
export function paragraph(rng: SeededRandom, topic: DemoTopic, count: number): string {
  const sentences: string[] = [];
  for (let i = 0; i < count; i++) sentences.push(sentence(rng, topic));
  return sentences.join(' ');
}

/** A document title from the topic's patterns. */
export function title(rng: SeededRandom, topic: DemoTopic): string {
  const pattern = rng.pick(topic.titles);
  const filled = pattern
    .replace('{noun}', rng.pick(topic.nouns))
    .replace('{noun2}', rng.pick(topic.nouns))
    .replace('{adj}', rng.pick(topic.adjectives))
    .replace('{verb}', rng.pick(topic.verbs))
    .replace('{quarter}', String(rng.int(1, 4)))
    .replace(/\ba ([aeiou])/g, 'an $1')
    .replace(/\ban ([^aeiou])/g, 'a $1');
  return capitalize(filled);
}

/** A question a user might ask about the topic. */
export function question(rng: SeededRandom, topic: DemoTopic): string {
  const n = rng.pick(topic.nouns);
  const v = rng.pick(topic.verbs);
  switch (rng.int(0, 5)) {
    case 0:
      return `How do I ${v} the ${n}?`;
    case 1:
      return `What is our policy on the ${rng.pick(topic.adjectives)} ${n}?`;
    case 2:
      return `Can you summarise the latest ${n} document?`;
    case 3:
      return `Who should ${v} a ${n} when the owner is away?`;
    case 4:
      return `Why did the ${n} fail last week, and what changed since?`;
    default:
      return `List the steps to ${v} the ${n} for the ${rng.pick(generalAdjectives)} ${rng.pick(generalNouns)}.`;
  }
}

/** A fictional e-mail address on a reserved example domain. */
export function emailAddress(rng: SeededRandom): string {
  const first = rng.pick(FIRST_NAMES).toLowerCase();
  const last = rng.pick(LAST_NAMES).toLowerCase();
  const local = rng.pick([`${first}.${last}`, `${first[0]}${last}`, `${first}${rng.int(1, 99)}`]);
  return `${local}@${rng.pick(['example.com', 'example.org', 'example.net', 'mail.example.com'])}`;
}

/** A fictional phone number from ranges reserved for fiction (555-01xx, Ofcom drama numbers). */
export function phoneNumber(rng: SeededRandom): string {
  const tail = String(rng.int(0, 99)).padStart(2, '0');
  switch (rng.int(0, 3)) {
    case 0:
      return `+1 555-01${tail}`;
    case 1:
      return `(555) 01${tail}-${String(rng.int(0, 9999)).padStart(4, '0')}`;
    case 2:
      return `+44 20 7946 0${String(rng.int(0, 999)).padStart(3, '0')}`;
    default:
      return `555.01${tail}`;
  }
}

/** An IP address from private or documentation ranges, sometimes IPv6. */
export function ipAddress(rng: SeededRandom): string {
  switch (rng.int(0, 5)) {
    case 0:
      return `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
    case 1:
      return `192.168.${rng.int(0, 10)}.${rng.int(2, 254)}`;
    case 2:
      return `192.0.2.${rng.int(1, 254)}`;
    case 3:
      return `198.51.100.${rng.int(1, 254)}`;
    case 4:
      return `203.0.113.${rng.int(1, 254)}`;
    default:
      return `2001:db8:${rng.hex(4)}::${rng.hex(3)}`;
  }
}

/** A person's full name. */
export function personName(rng: SeededRandom): string {
  return `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
}
