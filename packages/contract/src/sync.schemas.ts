import { Type, type Static } from 'typebox';
import { Uuid } from './common.schemas.ts';
import { AnswerValue } from './templates.ts';

/** Hybrid logical clock stamp: 13-digit wall milliseconds, 4-hex counter and node id. */
export const HlcStamp = Type.String({
  pattern: '^[0-9]{13}-[0-9a-f]{4}-[A-Za-z0-9_.:-]{1,64}$',
  description: 'Hybrid logical clock stamp, for example 1764849600000-0001-phone-7',
});

const DeviceId = Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' });

export const AnswerSetMutation = Type.Object(
  {
    clientMutationId: Uuid,
    kind: Type.Literal('answer.set'),
    surveyId: Uuid,
    questionId: Type.String({ minLength: 1, maxLength: 100 }),
    value: Type.Union([AnswerValue, Type.Null()]),
    note: Type.Optional(Type.Union([Type.String({ maxLength: 5000 }), Type.Null()])),
    hlc: HlcStamp,
  },
  { additionalProperties: false },
);
export type AnswerSetMutation = Static<typeof AnswerSetMutation>;

export const SyncPushBody = Type.Object(
  {
    deviceId: DeviceId,
    mutations: Type.Array(AnswerSetMutation, { minItems: 1, maxItems: 500 }),
  },
  { additionalProperties: false },
);
export type SyncPushBody = Static<typeof SyncPushBody>;

export const MutationStatus = Type.Enum(['applied', 'duplicate', 'superseded', 'rejected']);
export type MutationStatus = Static<typeof MutationStatus>;

export const MutationResult = Type.Object({
  clientMutationId: Uuid,
  status: MutationStatus,
  conflictId: Type.Optional(Uuid),
  code: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
});
export type MutationResult = Static<typeof MutationResult>;

export const SyncPushResult = Type.Object({ results: Type.Array(MutationResult) });
export type SyncPushResult = Static<typeof SyncPushResult>;

export const SyncPullQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'Opaque server cursor' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
  },
  { additionalProperties: false },
);
export type SyncPullQuery = Static<typeof SyncPullQuery>;

export const SyncChange = Type.Object({
  kind: Type.Literal('answer.set'),
  surveyId: Uuid,
  questionId: Type.String(),
  value: Type.Union([AnswerValue, Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  hlc: HlcStamp,
  deviceId: Type.Union([Type.String(), Type.Null()]),
  changedBy: Uuid,
  changedAt: Type.String({ format: 'date-time' }),
});
export type SyncChange = Static<typeof SyncChange>;

export const SyncPullResult = Type.Object({
  changes: Type.Array(SyncChange),
  cursor: Type.String(),
  hasMore: Type.Boolean(),
});
export type SyncPullResult = Static<typeof SyncPullResult>;

/**
 * Query of GET /v1/sync/conflicts, which lists conflicts newest first. To page, pass the id of
 * the last conflict of a page as `before`; a page shorter than `limit` is the last one.
 */
export const ConflictQuery = Type.Object(
  {
    surveyId: Type.Optional(Uuid),
    open: Type.Optional(
      Type.Boolean({
        description:
          'true lists only unresolved conflicts; false or absent lists resolved ones too',
      }),
    ),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1000,
        default: 1000,
        description: 'Maximum number of conflicts in the page',
      }),
    ),
    before: Type.Optional(
      Type.String({
        format: 'uuid',
        description:
          'Id of the last conflict of the previous page; only conflicts created before it are listed',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ConflictQuery = Static<typeof ConflictQuery>;

const ConflictSide = Type.Object({
  value: Type.Union([AnswerValue, Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
});

export const SyncConflictView = Type.Object({
  id: Uuid,
  surveyId: Uuid,
  questionId: Type.String(),
  winning: ConflictSide,
  losing: ConflictSide,
  winningHlc: HlcStamp,
  losingHlc: HlcStamp,
  losingDeviceId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  resolvedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  resolvedBy: Type.Union([Uuid, Type.Null()]),
});
export type SyncConflictView = Static<typeof SyncConflictView>;

export const ResolveConflictBody = Type.Object(
  {
    choose: Type.Enum(['winning', 'losing', 'value']),
    value: Type.Optional(Type.Union([AnswerValue, Type.Null()])),
    note: Type.Optional(Type.Union([Type.String({ maxLength: 5000 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type ResolveConflictBody = Static<typeof ResolveConflictBody>;
