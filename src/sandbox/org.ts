import { Rng, hash2, uuidFrom } from './generator/rng';

/** The small, fixed tables of the sandbox org (queues, users, wrap-up codes...), derived from the seed. */

export interface Division {
  id: string;
  name: string;
}
export interface Queue {
  id: string;
  name: string;
  divisionId: string;
  /** Which media the queue serves; conversations pick queues by media. */
  media: readonly string[];
}
export interface User {
  id: string;
  name: string;
  email: string;
  divisionId: string;
  /** Index into the queue table of the agent's main queue, so an agent mostly serves one queue. */
  homeQueue: number;
}
export interface WrapUpCode {
  id: string;
  name: string;
}
export interface Flow {
  id: string;
  name: string;
  type: string;
}
export interface Org {
  id: string;
  name: string;
  divisions: Division[];
  queues: Queue[];
  users: User[];
  wrapUpCodes: WrapUpCode[];
  flows: { voice: Flow; message: Flow; email: Flow; chat: Flow; inQueue: Flow };
  /** Toll-free numbers customers dial. */
  dnis: string[];
  outboundAni: string;
  campaignId: string;
  /** Lookups derived from the tables above. */
  queueById: Map<string, Queue>;
  members: Map<string, User[]>;
}

export const WRAP_UP_TIMEOUT = 'ININ-WRAP-UP-TIMEOUT';

const QUEUE_DEFS: [string, string[]][] = [
  ['Sales', ['voice', 'callback', 'message']],
  ['Customer Support', ['voice', 'callback']],
  ['Billing', ['voice', 'email']],
  ['Technical Support', ['voice', 'chat']],
  ['Retention', ['voice']],
  ['Claims', ['voice', 'email']],
  ['Renewals', ['voice', 'callback']],
  ['VIP Line', ['voice']],
  ['Spanish Support', ['voice', 'message']],
  ['Escalations', ['voice', 'email']],
  ['Email Support', ['email']],
  ['Digital Messaging', ['message', 'chat']],
];

const FIRST = ['Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Elijah', 'Sophia', 'James', 'Isabella', 'Lucas', 'Mia', 'Mateo', 'Amelia', 'Ethan', 'Harper', 'Aiden', 'Evelyn', 'Logan', 'Abigail', 'Jackson', 'Emily', 'Leo', 'Ella', 'Samuel', 'Chloe', 'Daniel', 'Priya', 'Kenji', 'Fatima', 'Omar'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Nakamura'];
const WRAP_UPS = ['Sale Completed', 'Quote Provided', 'Billing Question', 'Payment Taken', 'Technical Issue Resolved', 'Escalated', 'Callback Scheduled', 'Complaint', 'Account Update', 'Cancellation', 'Retained', 'Wrong Number', 'No Answer', 'Information Provided', 'Follow-up Required'];

export function buildOrg(seed: number, name: string): Org {
  const rng = new Rng(hash2(seed, -1));
  const id = uuidFrom(rng);
  const divisions: Division[] = [
    { id: uuidFrom(rng), name: 'Home' },
    { id: uuidFrom(rng), name: 'North America' },
    { id: uuidFrom(rng), name: 'EMEA' },
  ];
  const queues: Queue[] = QUEUE_DEFS.map(([qName, media], i) => ({
    id: uuidFrom(rng),
    name: qName,
    divisionId: divisions[i % 3].id,
    media,
  }));
  const users: User[] = [];
  for (let i = 0; i < 60; i++) {
    const first = FIRST[i % FIRST.length];
    const last = LAST[(i * 7 + 3) % LAST.length];
    users.push({
      id: uuidFrom(rng),
      name: `${first} ${last}`,
      email: `${first}.${last}${i}@sandbox.example`.toLowerCase(),
      divisionId: divisions[i % 3].id,
      homeQueue: i % queues.length,
    });
  }
  const wrapUpCodes = WRAP_UPS.map((w) => ({ id: uuidFrom(rng), name: w }));
  const queueById = new Map(queues.map((q) => [q.id, q]));
  const members = new Map(queues.map((q, qi) => [q.id, users.filter((u) => u.homeQueue === qi)]));
  const flow = (fName: string, type: string): Flow => ({ id: uuidFrom(rng), name: fName, type });
  return {
    id,
    name,
    divisions,
    queues,
    users,
    wrapUpCodes,
    flows: {
      voice: flow('Main IVR', 'INBOUNDCALL'),
      message: flow('Inbound Messaging', 'INBOUNDSHORTMESSAGE'),
      email: flow('Inbound Email Routing', 'INBOUNDEMAIL'),
      chat: flow('Web Chat Routing', 'INBOUNDCHAT'),
      inQueue: flow('Default In-Queue', 'INQUEUECALL'),
    },
    dnis: ['tel:+18005550100', 'tel:+18005550101', 'tel:+18885550123', 'tel:+13175550199'],
    outboundAni: 'tel:+13175550100',
    campaignId: uuidFrom(rng),
    queueById,
    members,
  };
}
