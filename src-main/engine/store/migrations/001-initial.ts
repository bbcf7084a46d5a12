import { ASSISTANT_SCHEMA_V1 } from '../assistant-schema';
import type { AssistantMigration } from './assistant-migration';

/** Version 1: the assistant store as the foundation defined it (assistant-schema.ts). */
export const assistantMigration001Initial: AssistantMigration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(ASSISTANT_SCHEMA_V1);
  },
};
