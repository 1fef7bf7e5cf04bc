/**
 * Payload of each job type: ids and options only, never credentials (processors resolve
 * connections at run time). Empty here: each feature adds its types by declaration merging,
 * beside its `defineJob` declarations (see the README, "Adding a job type").
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface JobPayloads {}

export type JobType = keyof JobPayloads & string;
